package io.namidb.query.parse;

import io.namidb.query.CypherException;
import io.namidb.query.ast.Statement;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neo4j.cypher.internal.ast.factory.ASTFactory;
import org.neo4j.cypher.internal.parser.common.ast.factory.ASTExceptionFactory;
import org.neo4j.cypher.internal.parser.javacc.Cypher;
import org.neo4j.cypher.internal.parser.javacc.CypherCharStream;
import org.neo4j.cypher.internal.parser.javacc.ParseException;
import org.neo4j.cypher.internal.parser.javacc.TokenMgrException;
import org.neo4j.gqlstatus.ErrorGqlStatusObject;

/**
 * Parses Cypher text into a {@link Statement} with Neo4j's JavaCC Cypher 5 parser (a dependency,
 * see docs/design/0005-cypher.md). The parser reports what it reads to a factory interface of about
 * 250 methods; a {@link Proxy} routes each call to the {@link AstBuilder} method of the same name
 * and argument count, and any other call ends the parse with 400 {@code unsupported} naming it. A
 * leading {@code EXPLAIN} or {@code PROFILE} is read here (the JavaCC grammar leaves it to a
 * pre-parser). Syntax errors carry the line and column.
 */
public final class CypherParser {
  private static final Pattern MODE =
      Pattern.compile("^(\\s*)(EXPLAIN|PROFILE)\\b", Pattern.CASE_INSENSITIVE);

  private static final Map<String, Method> BUILDER = new HashMap<>();

  static {
    for (Method m : AstBuilder.class.getDeclaredMethods()) {
      if (java.lang.reflect.Modifier.isPublic(m.getModifiers())) {
        BUILDER.put(m.getName() + "/" + m.getParameterCount(), m);
      }
    }
  }

  private CypherParser() {}

  /** Parses one statement. */
  public static Statement parse(String query) {
    Statement.Mode mode = Statement.Mode.RUN;
    String text = query;
    Matcher m = MODE.matcher(query);
    if (m.find()) {
      mode = Statement.Mode.valueOf(m.group(2).toUpperCase(Locale.ROOT));
      // blank the keyword out so that positions of errors stay those of the original text
      text = m.group(1) + " ".repeat(m.group(2).length()) + query.substring(m.end());
    }
    AstBuilder builder = new AstBuilder(text);
    Object factory =
        Proxy.newProxyInstance(
            CypherParser.class.getClassLoader(),
            new Class<?>[] {ASTFactory.class},
            (proxy, method, args) -> route(builder, method, args));
    @SuppressWarnings({"unchecked", "rawtypes"})
    Cypher parser = new Cypher((ASTFactory) factory, new Errors(), new CypherCharStream(text));
    Object result;
    try {
      result = parser.Statements();
    } catch (CypherException e) {
      throw e;
    } catch (ParseException e) {
      throw syntax(e);
    } catch (TokenMgrException e) {
      throw CypherException.syntax(lowerFirst(e.getMessage()), 1, 1);
    } catch (Exception e) {
      throw CypherException.syntax("invalid query: " + e.getMessage(), 1, 1);
    }
    if (!(result instanceof AstBuilder.Query q)) {
      throw CypherException.unsupported("this statement", "only queries are supported");
    }
    return new Statement(q.queries(), q.all(), mode);
  }

  private static Object route(AstBuilder builder, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return method.invoke(builder, args);
    }
    int n = args == null ? 0 : args.length;
    Method target = BUILDER.get(method.getName() + "/" + n);
    if (target == null) {
      throw CypherException.unsupported(
          describe(method.getName()), "NamiDB runs the query subset of Cypher");
    }
    try {
      return target.invoke(builder, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** A factory method name as a construct: {@code createDatabase} → {@code create database}. */
  private static String describe(String method) {
    return method.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
  }

  private static CypherException syntax(ParseException e) {
    int line = 1;
    int column = 1;
    String found = "";
    if (e.currentToken != null) {
      var t = e.currentToken.next != null ? e.currentToken.next : e.currentToken;
      line = t.beginLine;
      column = t.beginColumn;
      found = t.image;
    }
    String msg = e.getMessage() == null ? "" : e.getMessage();
    int cut = msg.indexOf('\n');
    String first = cut > 0 ? msg.substring(0, cut) : msg;
    return CypherException.syntax(
        "invalid syntax"
            + (found == null || found.isEmpty() ? "" : " near '" + found + "'")
            + (first.isEmpty() ? "" : ": " + lowerFirst(first.strip())),
        line,
        column);
  }

  private static String lowerFirst(String s) {
    if (s == null || s.isEmpty()) {
      return "";
    }
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  /** The parser's errors as {@link CypherException}s with positions. */
  private static final class Errors implements ASTExceptionFactory {
    @Override
    public Exception syntaxException(
        ErrorGqlStatusObject gql,
        String got,
        List<String> expected,
        Exception source,
        int offset,
        int line,
        int column) {
      return syntaxException(got, expected, source, offset, line, column);
    }

    @Override
    public Exception syntaxException(
        String got, List<String> expected, Exception source, int offset, int line, int column) {
      String exp =
          expected == null || expected.isEmpty()
              ? ""
              : ", expected "
                  + String.join(", ", expected.subList(0, Math.min(8, expected.size())))
                  + (expected.size() > 8 ? ", ..." : "");
      String near = got == null || got.isEmpty() ? "at the end of the query" : "near '" + got + "'";
      return CypherException.syntax("invalid syntax " + near + exp, line, column);
    }

    @Override
    public Exception syntaxException(Exception source, int offset, int line, int column) {
      String msg = source.getMessage() == null ? "invalid syntax" : source.getMessage();
      int cut = msg.indexOf('\n');
      return CypherException.syntax(
          lowerFirst(cut > 0 ? msg.substring(0, cut) : msg), line, column);
    }

    @Override
    public Exception syntaxException(
        ErrorGqlStatusObject gql, Exception source, int offset, int line, int column) {
      return syntaxException(source, offset, line, column);
    }
  }
}
