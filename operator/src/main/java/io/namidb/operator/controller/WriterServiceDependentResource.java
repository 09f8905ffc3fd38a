package io.namidb.operator.controller;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.namidb.operator.api.NamiNamespace;

/** Service {@code <cr>-writer}: port 8080 named {@code http} in front of the writer pod. */
@KubernetesDependent(informer = @Informer(labelSelector = Constants.MANAGED_SELECTOR))
public class WriterServiceDependentResource
    extends CRUDKubernetesDependentResource<Service, NamiNamespace> {

  public WriterServiceDependentResource() {
    super(Service.class);
  }

  @Override
  protected Service desired(NamiNamespace cr, Context<NamiNamespace> context) {
    return new ServiceBuilder()
        .withMetadata(WriterPods.metadata(cr, Names.writer(cr), Constants.COMPONENT_WRITER))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(WriterPods.writerSelector(cr))
        .addNewPort()
        .withName(Constants.HTTP_PORT_NAME)
        .withPort(Constants.HTTP_PORT)
        .withTargetPort(new IntOrString(Constants.HTTP_PORT_NAME))
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }
}
