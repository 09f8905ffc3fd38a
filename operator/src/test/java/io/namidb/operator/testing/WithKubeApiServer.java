package io.namidb.operator.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against a real kube-apiserver + etcd (Fabric8 kube-api-test,
 * offline, binaries from {@code dev/testbin}): one API server per test run, a fresh Kubernetes
 * namespace per test class. Declare a {@link io.fabric8.kubernetes.client.KubernetesClient} (whose
 * default namespace is the class's namespace) or a {@link KubeTestNamespace} parameter to receive
 * them.
 *
 * <p>No controllers run: tests that need a Deployment or Job to progress write its status
 * themselves.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(KubeApiServerExtension.class)
public @interface WithKubeApiServer {}
