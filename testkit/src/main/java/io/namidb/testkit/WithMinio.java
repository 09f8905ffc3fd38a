package io.namidb.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against a real MinIO: one server per test run (started on first
 * use, stopped when the run ends, also after failures) and a fresh bucket per test class. Declare a
 * {@link MinioBucket} (or {@link MinioServer}) parameter on a test, lifecycle method or constructor
 * to receive it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(MinioExtension.class)
public @interface WithMinio {}
