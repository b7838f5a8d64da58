// Generators of large, realistic inputs for the benchmark.

/** A haproxy.cfg of about `lines` lines: Patroni primary/replica listener pairs and Redis/HTTP backends. */
export function haproxyConfig(lines: number): string {
  const out: string[] = [
    'global',
    '    log stdout format raw local0',
    '    maxconn 100000',
    '    stats socket /tmp/hatopo-bench-haproxy.sock mode 600 level admin',
    '',
    'defaults',
    '    mode tcp',
    '    log global',
    '    option tcplog',
    '    retries 3',
    '    timeout connect 5s',
    '    timeout client 30m',
    '    timeout server 30m',
    '    timeout check 5s',
    '',
  ];
  let i = 0;
  while (out.length < lines) {
    const ip = (n: number) => `10.${(i >> 8) & 255}.${i & 255}.${n}`;
    out.push(
      `listen pg${i}_primary`,
      `    bind 127.0.0.1:${10000 + (i % 50000)}`,
      '    option httpchk OPTIONS /primary',
      '    http-check expect status 200',
      '    default-server inter 3s fall 3 rise 2 on-marked-down shutdown-sessions',
      `    server pg${i}a ${ip(11)}:5432 maxconn 100 check port 8008`,
      `    server pg${i}b ${ip(12)}:5432 maxconn 100 check port 8008`,
      `    server pg${i}c ${ip(13)}:5432 maxconn 100 check port 8008`,
      '',
      `listen pg${i}_replicas`,
      `    bind 127.0.0.1:${20000 + (i % 40000)}`,
      '    balance roundrobin',
      '    option httpchk OPTIONS /replica',
      '    http-check expect status 200',
      '    default-server inter 3s fall 3 rise 2 on-marked-down shutdown-sessions',
      `    server pg${i}a ${ip(11)}:5432 maxconn 100 check port 8008`,
      `    server pg${i}b ${ip(12)}:5432 maxconn 100 check port 8008`,
      `    server pg${i}c ${ip(13)}:5432 maxconn 100 check port 8008`,
      '',
      `frontend web${i}`,
      '    mode http',
      `    bind 127.0.0.1:${30000 + (i % 30000)}`,
      '    option httplog',
      `    acl is_api path_beg /api`,
      `    use_backend api${i} if is_api`,
      `    default_backend app${i}`,
      '',
      `backend api${i}`,
      '    mode http',
      '    balance leastconn',
      '    option httpchk GET /healthz',
      `    server api${i}a ${ip(21)}:8080 check inter 2s fall 3 rise 2`,
      `    server api${i}b ${ip(22)}:8080 check inter 2s fall 3 rise 2`,
      '',
      `backend app${i}`,
      '    mode http',
      '    balance roundrobin',
      '    option httpchk GET /health',
      `    server app${i}a ${ip(31)}:8080 check`,
      `    server app${i}b ${ip(32)}:8080 check`,
      '',
    );
    i++;
  }
  return out.join('\n') + '\n';
}

/** One Patroni member configuration (about 75 lines). */
export function patroniMember(cluster: number, member: number): string {
  const ip = `10.${cluster >> 8}.${cluster & 255}.${10 + member}`;
  return `scope: cluster-${cluster}
namespace: /service/
name: pg${member}

log:
  level: INFO
  dir: /var/log/patroni

restapi:
  listen: 0.0.0.0:8008
  connect_address: ${ip}:8008
  authentication:
    username: patroni
    password: secret

etcd3:
  hosts: 10.9.0.1:2379,10.9.0.2:2379,10.9.0.3:2379
  protocol: http

bootstrap:
  dcs:
    ttl: 30
    loop_wait: 10
    retry_timeout: 10
    maximum_lag_on_failover: 1048576
    synchronous_mode: false
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_level: replica
        hot_standby: "on"
        wal_log_hints: "on"
        max_connections: 200
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 1GB
        archive_mode: "on"
        archive_command: /bin/true
  initdb:
    - encoding: UTF8
    - data-checksums
  pg_hba:
    - host replication replicator 10.0.0.0/8 scram-sha-256
    - host all all 10.0.0.0/8 scram-sha-256

postgresql:
  listen: 0.0.0.0:5432
  connect_address: ${ip}:5432
  data_dir: /var/lib/postgresql/15/main
  bin_dir: /usr/lib/postgresql/15/bin
  pgpass: /tmp/pgpass${member}
  authentication:
    replication:
      username: replicator
      password: rep-pass
    superuser:
      username: postgres
      password: zalando
    rewind:
      username: rewind_user
      password: rewind_password
  parameters:
    unix_socket_directories: /var/run/postgresql
    shared_buffers: 2GB
  create_replica_methods:
    - basebackup
  basebackup:
    checkpoint: fast

watchdog:
  mode: automatic
  device: /dev/watchdog

tags:
  nofailover: false
  noloadbalance: false
  clonefrom: false
  nosync: false
`;
}

/** A multi-document manifest of about `lines` lines: CloudNativePG Clusters, StatefulSets and PDBs. */
export function kubernetesManifest(lines: number): string {
  const docs: string[] = [];
  let count = 0;
  for (let i = 0; count < lines; i++) {
    const cluster = `apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: pg-${i}
  namespace: team-${i % 17}
spec:
  instances: 3
  imageName: ghcr.io/cloudnative-pg/postgresql:16.4
  primaryUpdateStrategy: unsupervised
  postgresql:
    parameters:
      max_connections: "200"
      shared_buffers: 256MB
  storage:
    size: 10Gi
  affinity:
    enablePodAntiAffinity: true
    topologyKey: kubernetes.io/hostname
    podAntiAffinityType: required
  monitoring:
    enablePodMonitor: true
  backup:
    barmanObjectStore:
      destinationPath: s3://backups/pg-${i}
      s3Credentials:
        accessKeyId:
          name: aws-creds
          key: ACCESS_KEY_ID
        secretAccessKey:
          name: aws-creds
          key: ACCESS_SECRET_KEY
    retentionPolicy: 30d
`;
    const sts = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: etcd-${i}
  namespace: team-${i % 17}
spec:
  serviceName: etcd-${i}
  replicas: 3
  selector:
    matchLabels:
      app: etcd-${i}
  template:
    metadata:
      labels:
        app: etcd-${i}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector:
                matchLabels:
                  app: etcd-${i}
              topologyKey: kubernetes.io/hostname
      containers:
        - name: etcd
          image: quay.io/coreos/etcd:v3.5.15
          ports:
            - containerPort: 2379
              name: client
            - containerPort: 2380
              name: peer
          readinessProbe:
            httpGet:
              path: /health
              port: 2379
          livenessProbe:
            httpGet:
              path: /health
              port: 2379
          resources:
            requests:
              cpu: 100m
              memory: 256Mi
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 5Gi
`;
    const pdb = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: etcd-${i}
  namespace: team-${i % 17}
spec:
  minAvailable: 2
  selector:
    matchLabels:
      app: etcd-${i}
`;
    for (const d of [cluster, sts, pdb]) {
      docs.push(d);
      count += d.split('\n').length;
    }
  }
  return docs.join('---\n');
}

/** A ConfigMap followed by `n` empty `---` documents. */
export function emptyDocuments(n: number): string {
  return 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' + '---\n'.repeat(n);
}

/** A ConfigMap whose `n` annotations are unquoted numbers: one schema problem each. */
export function numberAnnotations(n: number): string {
  const lines: string[] = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: x', '  annotations:'];
  for (let i = 0; i < n; i++) lines.push(`    k${i}: ${i}`);
  return lines.join('\n') + '\n';
}

/** File `i` of a workspace where every file holds a StatefulSet and the PodDisruptionBudget for it. */
export function workloadFile(i: number): string {
  return `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db-${i}
  namespace: team-${i % 17}
spec:
  replicas: 3
  selector:
    matchLabels:
      app: db-${i}
  template:
    metadata:
      labels:
        app: db-${i}
        tier: db
    spec:
      containers:
        - name: db
          image: postgres:16
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: db-${i}
  namespace: team-${i % 17}
spec:
  minAvailable: 2
  selector:
    matchLabels:
      app: db-${i}
`;
}

/** A sentinel.conf whose down-after-milliseconds is a number of `digits` digits. */
export function sentinelHugeNumber(digits: number): string {
  return `sentinel monitor mymaster 10.0.0.1 6379 2\nsentinel down-after-milliseconds mymaster ${'9'.repeat(digits)}\n`;
}

/** A ConfigMap whose `data` is one flow mapping of `n` keys on one line, `{k0: 0, k1: 1, …}`: unquoted numbers, a problem each. */
export function flowMapManifest(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`k${i}: ${i}`);
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: {${parts.join(', ')}}\n`;
}

/** A Service of `n` ports whose targetPort is a list: each fits neither branch of int-or-string. */
export function servicePortsOfWrongType(n: number): string {
  const lines = ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: x', 'spec:', '  ports:'];
  for (let i = 0; i < n; i++) lines.push(`    - port: ${i + 1}`, `      targetPort: [${i}]`);
  return lines.join('\n') + '\n';
}

/** A sentinel.conf of `n` masters, then `n` lines naming masters that do not exist (each gets a "did you mean"). */
export function sentinelUnknownMasters(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`sentinel monitor master${i} 10.0.${i >> 8}.${i & 255} 6379 2`);
  for (let i = 0; i < n; i++) lines.push(`sentinel down-after-milliseconds mastr${i} 5000`);
  return lines.join('\n') + '\n';
}

/** A ConfigMap whose value is a line of `n` `[`, none closed: every flow rule reads the one long line. */
export function openBrackets(n: number): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: ${'['.repeat(n)}\n`;
}

/** A backend of `n` lines, each an unknown keyword of its own (a "did you mean" each). */
export function haproxyUnknownKeywords(n: number): string {
  const lines = ['backend b'];
  for (let i = 0; i < n; i++) lines.push(`  balence${i} roundrobin`);
  return `${lines.join('\n')}\n`;
}
