{{/* Names: <release>-itbm unless the release name already contains the chart name. */}}
{{- define "itbm.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "itbm.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "itbm.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "itbm.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* selector labels of one component: include "itbm.selector" (list $ "backend") */}}
{{- define "itbm.selector" -}}
{{- $ := index . 0 -}}
app.kubernetes.io/name: {{ include "itbm.name" $ }}
app.kubernetes.io/instance: {{ $.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{/* image reference of one component: include "itbm.image" (list $ .Values.backend.image) */}}
{{- define "itbm.image" -}}
{{- $ := index . 0 -}}
{{- $img := index . 1 -}}
{{- $repo := $img.repository -}}
{{- if $.Values.image.namespace -}}{{- $repo = printf "%s/%s" $.Values.image.namespace $repo -}}{{- end -}}
{{- if $.Values.image.registry -}}{{- $repo = printf "%s/%s" $.Values.image.registry $repo -}}{{- end -}}
{{- if $img.digest -}}
{{- printf "%s@%s" $repo $img.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo (default (default $.Chart.AppVersion $.Values.image.tag) $img.tag) -}}
{{- end -}}
{{- end -}}

{{- define "itbm.imagePullSecrets" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
{{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* JDBC URL of the customer's PostgreSQL */}}
{{- define "itbm.jdbcUrl" -}}
{{- $db := .Values.database -}}
{{- printf "jdbc:postgresql://%s:%d/%s" (required "database.host is required (the customer's PostgreSQL)" $db.host) (int $db.port) $db.name -}}
{{- if $db.sslMode }}{{ printf "?sslmode=%s" $db.sslMode }}{{ end -}}
{{- end -}}

{{/* Environment shared by backend, worker, scheduler and the migration Job. Passwords only through secretKeyRef. */}}
{{- define "itbm.appEnv" -}}
- name: DATABASE_URL
  value: {{ include "itbm.jdbcUrl" . | quote }}
- name: DATABASE_USER
  value: {{ .Values.database.user | quote }}
- name: DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ required "database.existingSecret is required (a Secret holding the database password)" .Values.database.existingSecret }}
      key: {{ .Values.database.passwordKey }}
- name: REDIS_URL
  value: {{ printf "redis://%s:%d" (required "redis.host is required (the customer's Redis)" .Values.redis.host) (int .Values.redis.port) | quote }}
{{- if .Values.redis.existingSecret }}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.redis.existingSecret }}
      key: {{ .Values.redis.passwordKey }}
{{- end }}
{{- if .Values.licence.existingSecret }}
- name: LICENCE_FILE
  value: /etc/itbm/licence/licence.json
- name: LICENCE_PUBLIC_KEY_FILE
  value: /etc/itbm/licence/licence-signing.pub
{{- end }}
- name: INSTANCE_ID
  value: {{ default .Release.Name .Values.instanceId | quote }}
- name: ITBM_MODULES
  value: {{ join "," .Values.modules | quote }}
{{- end -}}

{{- define "itbm.licenceVolume" -}}
{{- if .Values.licence.existingSecret }}
- name: licence
  secret:
    secretName: {{ .Values.licence.existingSecret }}
    defaultMode: 0444
    items:
      - key: {{ .Values.licence.fileKey }}
        path: licence.json
      - key: {{ .Values.licence.publicKeyKey }}
        path: licence-signing.pub
{{- end }}
{{- end -}}

{{- define "itbm.licenceMount" -}}
{{- if .Values.licence.existingSecret }}
- name: licence
  mountPath: /etc/itbm/licence
  readOnly: true
{{- end }}
{{- end -}}

{{- define "itbm.podScheduling" -}}
{{- with .Values.nodeSelector }}
nodeSelector:
{{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
{{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
{{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
