package io.namidb.writer.cli;

import io.namidb.engine.NamiException;
import io.namidb.engine.store.NamespaceUri;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --uri URI} (env {@code NAMI_URI}): the namespace a command works on (DESIGN §2). A mixin
 * shared by every command; an invalid URI is a usage error quoting the bad value and the rule.
 */
public final class NamespaceOption {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--uri",
      paramLabel = "URI",
      defaultValue = "${env:NAMI_URI}",
      converter = UriConverter.class,
      description = "Namespace URI (env NAMI_URI), e.g. file:///tmp/data?ns=demo")
  NamespaceUri uri;

  /** The namespace URI. */
  public NamespaceUri require() {
    if (uri == null) {
      throw new ParameterException(
          mixee.commandLine(), "missing required option '--uri=URI' (or env NAMI_URI)");
    }
    return uri;
  }

  /** Parses {@code --uri} values with the engine's parser; its message names the problem. */
  public static final class UriConverter implements ITypeConverter<NamespaceUri> {
    @Override
    public NamespaceUri convert(String value) {
      try {
        return NamespaceUri.parse(value);
      } catch (NamiException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
