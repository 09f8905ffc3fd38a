package io.namidb.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.operator.controller.OperatorConfig;
import io.namidb.operator.testing.RepoFiles;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's appVersion is the one version source of the images: dev/images tags with it, the
 * chart's defaults derive from it, and the operator's built-in default writer image must name it.
 */
class ImageVersionTest {
  @Test
  void operatorDefaultWriterImageIsTheChartsAppVersion() throws Exception {
    String appVersion = appVersion();
    String image =
        OperatorConfig.Writer.class.getMethod("image").getAnnotation(WithDefault.class).value();

    assertThat(image).isEqualTo("ghcr.io/namidb/namidb-writer:" + appVersion);
  }

  @Test
  void chartValuesDeriveImageTagsFromTheAppVersion() throws IOException {
    String values = Files.readString(RepoFiles.chart().resolve("values.yaml"));

    // No tag spelled out: both default to the appVersion in the templates.
    assertThat(values).containsPattern("(?m)^  tag: \"\"$").containsPattern("(?m)^  image: \"\"$");
  }

  private static String appVersion() throws IOException {
    String chart = Files.readString(RepoFiles.chart().resolve("Chart.yaml"));
    Matcher m = Pattern.compile("(?m)^appVersion: \"?([^\"\\s]+)\"?$").matcher(chart);
    assertThat(m.find()).as("appVersion in Chart.yaml").isTrue();
    return m.group(1);
  }
}
