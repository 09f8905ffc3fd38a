package io.namidb.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** {@code spec.backup}: where backups go and, optionally, when they run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupSpec {
  /**
   * Five cron fields (minute hour day-of-month month day-of-week: numbers, {@code *}, ranges,
   * lists, steps, month and day names) or one of the {@code @hourly}-style macros, as the CronJob
   * controller accepts them.
   */
  static final String CRON =
      "(?i)^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|"
          // minute
          + "(([*]|[0-5]?[0-9](-[0-5]?[0-9])?)(/[0-9]{1,2})?(,([*]|[0-5]?[0-9](-[0-5]?[0-9])?)(/[0-9]{1,2})?)*)[ ]+"
          // hour
          + "(([*]|([01]?[0-9]|2[0-3])(-([01]?[0-9]|2[0-3]))?)(/[0-9]{1,2})?(,([*]|([01]?[0-9]|2[0-3])(-([01]?[0-9]|2[0-3]))?)(/[0-9]{1,2})?)*)[ ]+"
          // day of month
          + "([?]|(([*]|(0?[1-9]|[12][0-9]|3[01])(-(0?[1-9]|[12][0-9]|3[01]))?)(/[0-9]{1,2})?(,([*]|(0?[1-9]|[12][0-9]|3[01])(-(0?[1-9]|[12][0-9]|3[01]))?)(/[0-9]{1,2})?)*))[ ]+"
          // month
          + "(([*]|(0?[1-9]|1[0-2]|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)(-(0?[1-9]|1[0-2]|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))?)(/[0-9]{1,2})?(,([*]|(0?[1-9]|1[0-2]|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)(-(0?[1-9]|1[0-2]|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))?)(/[0-9]{1,2})?)*)[ ]+"
          // day of week
          + "([?]|(([*]|([0-7]|sun|mon|tue|wed|thu|fri|sat)(-([0-7]|sun|mon|tue|wed|thu|fri|sat))?)(/[0-9]{1,2})?(,([*]|([0-7]|sun|mon|tue|wed|thu|fri|sat)(-([0-7]|sun|mon|tue|wed|thu|fri|sat))?)(/[0-9]{1,2})?)*))"
          + ")$";

  @Size(max = 128)
  @ValidationRule(
      value = "self.matches('" + CRON + "')",
      messageExpression =
          "'backup.schedule must be a cron expression with five fields (minute hour day-of-month"
              + " month day-of-week), e.g. \"0 */6 * * *\", or a macro such as @daily, got \"' + self"
              + " + '\"'")
  @JsonPropertyDescription(
      "When to back up, in cron syntax (e.g. \"0 */6 * * *\"). Without it no CronJob is created;"
          + " the destination is still used by deletionPolicy BackupThenDelete.")
  private String schedule;

  @Required
  @JsonPropertyDescription("Where backups are written.")
  private BackupDestination destination;

  @Default("7")
  @ValidationRule(
      value = "self >= 1",
      message = "backup.keepLast must be at least 1: it is how many backups to keep")
  @JsonPropertyDescription("How many backups to keep; older ones are pruned after each backup.")
  private Integer keepLast;

  @Default("false")
  @JsonPropertyDescription("true pauses scheduled backups; existing backups are kept.")
  private Boolean suspend;

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public BackupDestination getDestination() {
    return destination;
  }

  public void setDestination(BackupDestination destination) {
    this.destination = destination;
  }

  public Integer getKeepLast() {
    return keepLast;
  }

  public void setKeepLast(Integer keepLast) {
    this.keepLast = keepLast;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }
}
