{{/* Name of the chart, overridable. */}}
{{- define "namidb-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's objects. */}}
{{- define "namidb-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "namidb-operator.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "namidb-operator.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "namidb-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "namidb-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "namidb-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "namidb-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "namidb-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "namidb-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The operator's permissions: nothing beyond what it creates, reads and patches. */}}
{{- define "namidb-operator.rules" -}}
- apiGroups: ["namidb.io"]
  resources: ["naminamespaces"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["namidb.io"]
  resources: ["naminamespaces/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["namidb.io"]
  resources: ["naminamespaces/finalizers"]
  verbs: ["update"]
- apiGroups: ["namidb.io"]
  resources: ["naminamespacebackups"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["namidb.io"]
  resources: ["naminamespacebackups/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "patch", "update"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "patch", "update"]
- apiGroups: ["batch"]
  resources: ["cronjobs"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create"]
# delete: a writer pod stuck Terminating on a node lost for longer than its node-failure
# toleration is force-deleted, so that the writer's Recreate rollout can go on (docs/kubernetes.md).
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
# The writer's bearer tokens: the operator creates <name>-writer-auth, and reads the auth and TLS
# Secrets a NamiNamespace names, to ask its writer for /v1/status. By name only: no list or watch,
# so it never sees Secrets it was not pointed at.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "create", "delete"]
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
{{- if .Values.certManager.enabled }}
- apiGroups: ["cert-manager.io"]
  resources: ["certificates"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
{{- end }}
{{- end }}
