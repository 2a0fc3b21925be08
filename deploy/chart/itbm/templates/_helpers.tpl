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
{{/* The JDBC URL, TLS as the compose bundle does it: verify-ca/verify-full against database.caSecret's CA file, or
without one against the JVM's trusted CAs (pgjdbc's default would look for ~/.postgresql/root.crt). */}}
{{- define "itbm.jdbcUrl" -}}
{{- $db := .Values.database -}}
{{- printf "jdbc:postgresql://%s:%d/%s" (required "database.host is required (the customer's PostgreSQL)" $db.host) (int $db.port) $db.name -}}
{{- if $db.sslMode }}{{ printf "?sslmode=%s" $db.sslMode }}{{ end -}}
{{- if $db.caSecret }}
{{- if not (has $db.sslMode (list "verify-ca" "verify-full")) }}{{ fail "database.caSecret needs database.sslMode verify-ca or verify-full (a CA is only used to verify)" }}{{ end -}}
&sslrootcert=/etc/itbm/tls/db-ca.crt
{{- else if has $db.sslMode (list "verify-ca" "verify-full") -}}
&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory
{{- end -}}
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
{{- $rt := .Values.redis.tls }}
- name: REDIS_URL
  value: {{ printf "%s://%s:%d" (ternary "redis" "rediss" (eq $rt.mode "disable")) (required "redis.host is required (the customer's Redis)" .Values.redis.host) (int .Values.redis.port) | quote }}
{{- if ne $rt.mode "disable" }}
- name: REDIS_TLS_VERIFY
  value: {{ ternary "full" "none" (eq $rt.mode "verify-full") | quote }}
{{- end }}
{{- if $rt.caSecret }}
{{- if ne $rt.mode "verify-full" }}{{ fail "redis.tls.caSecret needs redis.tls.mode verify-full (a CA is only used to verify)" }}{{ end }}
- name: REDIS_CA_FILE
  value: /etc/itbm/tls/redis-ca.crt
{{- end }}
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

{{/* OpenID Connect for the backend (off while integrations.sso.issuer is empty): the app loads the issuer's
discovery document and keys at start. The client secret only through a secretKeyRef. */}}
{{- define "itbm.ssoEnv" -}}
{{- $s := .Values.integrations.sso -}}
{{- if $s.issuer }}
- name: OIDC_ISSUER
  value: {{ $s.issuer | quote }}
- name: OIDC_CLIENT_ID
  value: {{ required "integrations.sso.clientId is required with integrations.sso.issuer" $s.clientId | quote }}
- name: OIDC_SCOPES
  value: {{ join "," $s.scopes | quote }}
{{- if $s.existingSecret }}
- name: OIDC_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $s.existingSecret }}
      key: {{ $s.clientSecretKey }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The worker's integrations: the notification mail (SMTP, off while integrations.smtp.host is empty) and the 1C
exchange (off while integrations.onec.baseUrl is empty). Password and credentials only through secretKeyRefs. */}}
{{- define "itbm.workerIntegrationsEnv" -}}
{{- $m := .Values.integrations.smtp -}}
{{- if $m.host }}
- name: SMTP_HOST
  value: {{ $m.host | quote }}
- name: SMTP_PORT
  value: {{ $m.port | quote }}
- name: SMTP_USER
  value: {{ $m.user | quote }}
- name: SMTP_SENDER
  value: {{ required "integrations.smtp.sender is required with integrations.smtp.host" $m.sender | quote }}
- name: SMTP_STARTTLS
  value: {{ ternary "true" "false" $m.starttls | quote }}
- name: SMTP_RECIPIENTS
  value: {{ join "," $m.recipients | quote }}
{{- if $m.existingSecret }}
- name: SMTP_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $m.existingSecret }}
      key: {{ $m.passwordKey }}
{{- end }}
{{- end }}
{{- $o := .Values.integrations.onec -}}
{{- if $o.baseUrl }}
- name: ONEC_BASE_URL
  value: {{ $o.baseUrl | quote }}
- name: ONEC_SCHEDULE
  value: {{ $o.schedule | quote }}
- name: ONEC_CREDENTIALS
  valueFrom:
    secretKeyRef:
      name: {{ required "integrations.onec.existingSecret is required with integrations.onec.baseUrl (a Secret holding the 1C credentials)" $o.existingSecret }}
      key: {{ $o.credentialsKey }}
{{- end }}
{{- end -}}

{{/* The CA certificates of the customer's database and Redis (database.caSecret, redis.tls.caSecret), one read-only
volume at /etc/itbm/tls for the Java services and the migration Job. */}}
{{- define "itbm.tlsVolume" -}}
{{- if or .Values.database.caSecret .Values.redis.tls.caSecret }}
- name: tls-ca
  projected:
    defaultMode: 0444
    sources:
      {{- if .Values.database.caSecret }}
      - secret:
          name: {{ .Values.database.caSecret }}
          items:
            - key: {{ .Values.database.caKey }}
              path: db-ca.crt
      {{- end }}
      {{- if .Values.redis.tls.caSecret }}
      - secret:
          name: {{ .Values.redis.tls.caSecret }}
          items:
            - key: {{ .Values.redis.tls.caKey }}
              path: redis-ca.crt
      {{- end }}
{{- end }}
{{- end -}}

{{- define "itbm.tlsMount" -}}
{{- if or .Values.database.caSecret .Values.redis.tls.caSecret }}
- name: tls-ca
  mountPath: /etc/itbm/tls
  readOnly: true
{{- end }}
{{- end -}}
