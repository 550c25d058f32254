{{- define "storefront.labels" -}}
app.kubernetes.io/instance: {{ .Values.name }}
app.kubernetes.io/part-of: storefront
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- with .Values.labels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* A DNS-safe object name from a file name: observability/dashboards/slo-overview.json → <store>-slo-overview */}}
{{- define "storefront.fileObjectName" -}}
{{- $base := .path | base | trimSuffix ".json" | trimSuffix ".yaml" | trimSuffix ".yml" | lower -}}
{{- printf "%s-%s" .root.Values.name (regexReplaceAll "[^a-z0-9-]+" $base "-") | trunc 63 | trimSuffix "-" -}}
{{- end -}}
