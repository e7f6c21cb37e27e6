//! What berth knows about well-known images: what kind of service an image
//! runs (database, cache, queue, search engine, vector store, object store,
//! model server) and where the official image keeps its data (or, for a model
//! server, its downloaded models).
//!
//! An image reference is matched by its repository name (the last path
//! component), with the registry, the namespace, the tag and the digest taken
//! apart: `postgres`, `docker.io/library/postgres:17`, `bitnami/postgresql`,
//! `ghcr.io/example/postgres@sha256:...` are all PostgreSQL. A name given by a
//! variable (`${DB_IMAGE}`) matches nothing.

/// What an image runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImageKind {
    Database,
    Cache,
    Queue,
    Search,
    VectorStore,
    ObjectStore,
    ModelServer,
}

impl ImageKind {
    /// A data service: everything but a model server.
    pub(crate) fn is_data(self) -> bool {
        self != ImageKind::ModelServer
    }

    pub(crate) fn noun(self) -> &'static str {
        match self {
            ImageKind::Database => "database",
            ImageKind::Cache => "cache",
            ImageKind::Queue => "message broker",
            ImageKind::Search => "search engine",
            ImageKind::VectorStore => "vector store",
            ImageKind::ObjectStore => "object store",
            ImageKind::ModelServer => "model server",
        }
    }
}

/// Where an image keeps its data (a model server: its model cache).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DataDir {
    /// Nothing that outlives the container is expected (memcached, NATS without JetStream).
    None,
    /// Not known here: set in a configuration file or on the command line.
    Unknown,
    /// One of these directories (they differ between major versions).
    Dirs(&'static [&'static str]),
    /// PostgreSQL: `/var/lib/postgresql/data` before 18, `/var/lib/postgresql/<major>/docker` from 18 on.
    Postgres,
    /// MinIO: the paths given to `minio server` in `command`.
    MinioCommand,
    /// Bitnami images: under `/bitnami`.
    Bitnami,
}

/// One well-known image.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KnownImage {
    /// Display name (`postgres`, `ollama`).
    pub product: &'static str,
    pub kind: ImageKind,
    pub data: DataDir,
    /// Environment variables whose value replaces the data directory.
    pub data_env: &'static [&'static str],
    /// The image declares no `HEALTHCHECK`, so `condition: service_healthy` needs one in the file.
    pub no_image_healthcheck: bool,
}

/// An image reference taken apart (nothing is allocated).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ImageRef<'a> {
    pub registry: Option<&'a str>,
    /// The path between the registry and the name (`library`, `bitnami`, `nim/meta`; empty for `postgres`).
    pub namespace: &'a str,
    pub name: &'a str,
    pub tag: Option<&'a str>,
    pub digest: Option<&'a str>,
}

impl ImageRef<'_> {
    /// Docker Hub's official images (`postgres`, `library/postgres`, `docker.io/library/postgres`).
    pub(crate) fn is_official(&self) -> bool {
        matches!(self.registry, None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io"))
            && matches!(self.namespace, "" | "library")
    }

    pub(crate) fn is_bitnami(&self) -> bool {
        let first = self.namespace.split('/').next().unwrap_or("");
        BITNAMI.contains(&first)
    }
}

/// Split `registry/namespace/name:tag@digest`.
pub(crate) fn parse_ref(image: &str) -> ImageRef<'_> {
    let image = image.trim();
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    // The tag is after the first `:` that follows the last `/` (a registry port is
    // before a `/`); `:` and `/` inside `${...}` do not count.
    let (mut depth, mut slashes, mut colon) = (0i32, Vec::new(), None);
    for (i, c) in rest.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            '/' if depth <= 0 => {
                slashes.push(i);
                colon = None;
            }
            ':' if depth <= 0 && colon.is_none() => colon = Some(i),
            _ => {}
        }
    }
    let path = match colon {
        Some(i) => &rest[..i],
        None => rest,
    };
    let tag = colon.map(|i| &rest[i + 1..]);
    let first = slashes.first().map(|&i| &path[..i]);
    let registry = first.filter(|f| f.contains(['.', ':']) || *f == "localhost");
    let repo_start = if registry.is_some() { slashes.first().map_or(0, |&i| i + 1) } else { 0 };
    let (namespace, name) = match slashes.last() {
        Some(&i) if i + 1 > repo_start => (&path[repo_start..i], &path[i + 1..]),
        _ => ("", &path[repo_start..]),
    };
    ImageRef { registry, namespace, name, tag, digest }
}

/// Which namespaces an entry accepts.
#[derive(Clone, Copy)]
enum Ns {
    Any,
    /// Docker Hub's official image only.
    Official,
    /// One of these namespaces, or one of these first namespace components when written `x/*`.
    Only(&'static [&'static str]),
}

struct Entry {
    names: &'static [&'static str],
    ns: Ns,
    /// The tag must start with this (llama.cpp's `server` images).
    tag_prefix: Option<&'static str>,
    image: KnownImage,
}

const fn img(
    product: &'static str,
    kind: ImageKind,
    data: DataDir,
    data_env: &'static [&'static str],
    no_image_healthcheck: bool,
) -> KnownImage {
    KnownImage { product, kind, data, data_env, no_image_healthcheck }
}

const fn any(names: &'static [&'static str], image: KnownImage) -> Entry {
    Entry { names, ns: Ns::Any, tag_prefix: None, image }
}

const fn only(names: &'static [&'static str], ns: &'static [&'static str], image: KnownImage) -> Entry {
    Entry { names, ns: Ns::Only(ns), tag_prefix: None, image }
}

use DataDir::{Bitnami, Dirs, MinioCommand, Postgres, Unknown};
use ImageKind::{Cache, Database, ModelServer, ObjectStore, Queue, Search, VectorStore};

const BITNAMI: &[&str] = &["bitnami", "bitnamilegacy", "bitnamisecure"];
const HF_ENV: &[&str] = &["HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME", "TRANSFORMERS_CACHE"];
const HF_CACHE: DataDir = Dirs(&["/root/.cache/huggingface"]);

/// First match wins: entries restricted to namespaces come before the same name for any namespace.
static TABLE: &[Entry] = &[
    // Databases.
    any(
        &["postgres", "postgresql", "postgis", "pgvector", "timescaledb"],
        img("postgres", Database, Postgres, &["PGDATA"], true),
    ),
    any(&["mysql", "mariadb", "percona-server"], img("mysql", Database, Dirs(&["/var/lib/mysql"]), &[], true)),
    any(&["mongo", "mongodb", "mongodb-community-server"], img("mongo", Database, Dirs(&["/data/db"]), &[], true)),
    any(&["clickhouse-server"], img("clickhouse", Database, Dirs(&["/var/lib/clickhouse"]), &[], true)),
    Entry {
        names: &["clickhouse"],
        ns: Ns::Official,
        tag_prefix: None,
        image: img("clickhouse", Database, Dirs(&["/var/lib/clickhouse"]), &[], true),
    },
    only(&["clickhouse"], BITNAMI, img("clickhouse", Database, Bitnami, &[], true)),
    any(&["clickhouse-keeper"], img("clickhouse-keeper", Database, Unknown, &[], false)),
    any(&["neo4j"], img("neo4j", Database, Dirs(&["/data"]), &[], true)),
    any(
        &["influxdb"],
        img("influxdb", Database, Dirs(&["/var/lib/influxdb2", "/var/lib/influxdb", "/var/lib/influxdb3"]), &[], true),
    ),
    any(&["cassandra"], img("cassandra", Database, Dirs(&["/var/lib/cassandra"]), &[], true)),
    only(&["scylla"], &["scylladb"], img("scylla", Database, Dirs(&["/var/lib/scylla"]), &[], false)),
    any(&["couchdb"], img("couchdb", Database, Dirs(&["/opt/couchdb/data"]), &[], true)),
    any(&["arangodb"], img("arangodb", Database, Dirs(&["/var/lib/arangodb3"]), &[], false)),
    only(
        &["cockroach"],
        &["cockroachdb"],
        img("cockroach", Database, Dirs(&["/cockroach/cockroach-data"]), &[], false),
    ),
    only(&["server"], &["mssql"], img("mssql", Database, Dirs(&["/var/opt/mssql"]), &[], false)),
    any(&["azure-sql-edge"], img("mssql", Database, Dirs(&["/var/opt/mssql"]), &[], false)),
    // Caches (their data is expected to be disposable).
    any(
        &["redis", "redis-stack", "redis-stack-server", "redis-cluster", "redismod"],
        img("redis", Cache, Dirs(&["/data"]), &[], true),
    ),
    any(&["valkey", "valkey-cluster"], img("valkey", Cache, Dirs(&["/data"]), &[], true)),
    any(&["memcached"], img("memcached", Cache, DataDir::None, &[], true)),
    only(&["dragonfly"], &["dragonflydb"], img("dragonfly", Cache, Dirs(&["/data"]), &[], false)),
    only(&["keydb"], &["eqalpha"], img("keydb", Cache, Dirs(&["/data"]), &[], false)),
    // Message brokers.
    any(&["rabbitmq"], img("rabbitmq", Queue, Dirs(&["/var/lib/rabbitmq"]), &[], true)),
    only(
        &["cp-kafka", "cp-server", "cp-enterprise-kafka"],
        &["confluentinc"],
        img("kafka", Queue, Dirs(&["/var/lib/kafka/data"]), &["KAFKA_LOG_DIRS"], true),
    ),
    any(&["cp-kafka"], img("kafka", Queue, Unknown, &["KAFKA_LOG_DIRS"], true)),
    any(&["kafka"], img("kafka", Queue, Unknown, &["KAFKA_LOG_DIRS"], false)),
    only(&["cp-zookeeper"], &["confluentinc"], img("zookeeper", Queue, Dirs(&["/var/lib/zookeeper/data"]), &[], true)),
    any(&["cp-zookeeper"], img("zookeeper", Queue, Unknown, &[], true)),
    Entry {
        names: &["zookeeper"],
        ns: Ns::Official,
        tag_prefix: None,
        image: img("zookeeper", Queue, Dirs(&["/data"]), &[], true),
    },
    any(&["zookeeper"], img("zookeeper", Queue, Unknown, &[], false)),
    any(&["redpanda"], img("redpanda", Queue, Dirs(&["/var/lib/redpanda/data"]), &[], false)),
    any(&["nats"], img("nats", Queue, DataDir::None, &[], false)),
    only(&["pulsar"], &["apachepulsar"], img("pulsar", Queue, Unknown, &[], false)),
    // Search engines.
    any(&["elasticsearch"], img("elasticsearch", Search, Dirs(&["/usr/share/elasticsearch/data"]), &[], true)),
    any(&["opensearch"], img("opensearch", Search, Dirs(&["/usr/share/opensearch/data"]), &[], true)),
    only(&["meilisearch"], &["getmeili"], img("meilisearch", Search, Dirs(&["/meili_data"]), &[], false)),
    only(&["typesense"], &["typesense"], img("typesense", Search, Unknown, &[], false)),
    Entry {
        names: &["solr"],
        ns: Ns::Official,
        tag_prefix: None,
        image: img("solr", Search, Dirs(&["/var/solr"]), &[], false),
    },
    // Vector stores.
    any(&["qdrant"], img("qdrant", VectorStore, Dirs(&["/qdrant/storage"]), &[], true)),
    any(&["milvus"], img("milvus", VectorStore, Dirs(&["/var/lib/milvus"]), &[], false)),
    any(&["weaviate"], img("weaviate", VectorStore, Dirs(&["/var/lib/weaviate"]), &["PERSISTENCE_DATA_PATH"], true)),
    any(
        &["chroma", "chromadb"],
        img("chroma", VectorStore, Dirs(&["/data", "/chroma/chroma"]), &["PERSIST_DIRECTORY"], false),
    ),
    // Object stores.
    any(&["minio"], img("minio", ObjectStore, MinioCommand, &[], false)),
    // Model servers: `data` is where downloaded models are kept.
    any(&["ollama"], img("ollama", ModelServer, Dirs(&["/root/.ollama"]), &["OLLAMA_MODELS"], false)),
    any(&["vllm-openai", "vllm-openai-rocm"], img("vllm", ModelServer, HF_CACHE, HF_ENV, false)),
    only(&["vllm"], &["vllm", "rocm"], img("vllm", ModelServer, HF_CACHE, HF_ENV, false)),
    any(&["text-generation-inference"], img("text-generation-inference", ModelServer, Dirs(&["/data"]), HF_ENV, false)),
    any(&["text-embeddings-inference"], img("text-embeddings-inference", ModelServer, Dirs(&["/data"]), HF_ENV, false)),
    Entry {
        names: &["llama.cpp"],
        ns: Ns::Only(&["ggml-org", "ggerganov"]),
        tag_prefix: Some("server"),
        image: img("llama.cpp server", ModelServer, Unknown, &[], false),
    },
    only(
        &["localai", "local-ai"],
        &["localai", "go-skynet", "mudler"],
        img(
            "localai",
            ModelServer,
            Dirs(&["/models", "/build/models"]),
            &["MODELS_PATH", "LOCALAI_MODELS_PATH"],
            false,
        ),
    ),
    only(&["tritonserver"], &["nvidia"], img("triton", ModelServer, Unknown, &[], false)),
    only(&["ray", "ray-ml", "ray-llm"], &["rayproject", "anyscale"], img("ray", ModelServer, Unknown, &[], false)),
    only(
        &["xinference"],
        &["xprobe"],
        img(
            "xinference",
            ModelServer,
            Dirs(&["/root/.xinference", "/root/.cache/huggingface"]),
            &["XINFERENCE_HOME"],
            false,
        ),
    ),
    only(&["sglang"], &["lmsysorg"], img("sglang", ModelServer, HF_CACHE, HF_ENV, false)),
    only(&["infinity"], &["michaelf34"], img("infinity", ModelServer, Dirs(&["/app/.cache"]), HF_ENV, false)),
];

/// NVIDIA NIM containers (`nvcr.io/nim/<org>/<model>`) keep models in `/opt/nim/.cache`.
static NIM: KnownImage = img("nim", ModelServer, Dirs(&["/opt/nim/.cache"]), &["NIM_CACHE_PATH"], false);

fn ns_matches(ns: Ns, r: &ImageRef<'_>) -> bool {
    match ns {
        Ns::Any => true,
        Ns::Official => r.is_official(),
        Ns::Only(list) => list.iter().any(|want| match want.strip_suffix("/*") {
            Some(first) => r.namespace.split('/').next() == Some(first),
            None => r.namespace == *want || r.namespace.rsplit('/').next() == Some(*want),
        }),
    }
}

/// Docker Official Images (the repositories of Docker Hub's `library/`
/// namespace, from docker-library/official-images `library/`), current and
/// recently deprecated ones. Only Docker publishes there, so any other
/// unqualified name cannot be pulled.
#[rustfmt::skip]
const OFFICIAL_NAMES: &[&str] = &[
    "adminer", "aerospike", "almalinux", "alpine", "alt", "amazoncorretto", "amazonlinux", "api-firewall",
    "arangodb", "archlinux", "backdrop", "bash", "bonita", "buildpack-deps", "busybox", "caddy", "cassandra",
    "centos", "chronograf", "cirros", "clearlinux", "clefos", "clickhouse", "clojure", "composer", "consul",
    "convertigo", "couchbase", "couchdb", "crate", "dart", "debian", "docker", "drupal", "eclipse-mosquitto",
    "eclipse-temurin", "eggdrop", "elasticsearch", "elixir", "emqx", "erlang", "fedora", "flink", "fluentd",
    "friendica", "gazebo", "gcc", "geonetwork", "ghost", "golang", "gradle", "groovy", "haproxy", "haskell",
    "haxe", "hello-world", "hitch", "httpd", "hylang", "ibm-semeru-runtimes", "ibmjava", "influxdb", "irssi",
    "jetty", "joomla", "jruby", "julia", "kapacitor", "kibana", "kong", "krakend", "lightstreamer", "liquibase",
    "logstash", "mageia", "mariadb", "matomo", "maven", "mediawiki", "memcached", "mongo", "mongo-express",
    "monica", "mono", "mysql", "nats", "neo4j", "neurodebian", "nextcloud", "nginx", "node", "notary", "odoo",
    "open-liberty", "openjdk", "oraclelinux", "orientdb", "percona", "perl", "photon", "php", "php-zendserver",
    "phpmyadmin", "plone", "postfixadmin", "postgres", "pypy", "python", "r-base", "rabbitmq", "rakudo-star",
    "redis", "redmine", "registry", "rethinkdb", "rocket.chat", "rockylinux", "ros", "ruby", "rust", "sapmachine",
    "satosa", "silverpeas", "sl", "solr", "sonarqube", "spark", "spiped", "storm", "swift", "swipl", "teamspeak",
    "telegraf", "tomcat", "tomee", "traefik", "ubuntu", "unit", "varnish", "vault", "websphere-liberty",
    "wordpress", "xwiki", "yourls", "znc", "zookeeper",
];

/// Whether `r` names a Docker Official Image (`nginx`, `library/nginx:1.27`,
/// `docker.io/library/nginx`).
pub(crate) fn is_official_image(r: &ImageRef<'_>) -> bool {
    r.is_official() && OFFICIAL_NAMES.contains(&r.name.to_ascii_lowercase().as_str())
}

/// What berth knows about an image, if anything. Bitnami images keep their data under `/bitnami`.
pub(crate) fn lookup(image: &str) -> Option<KnownImage> {
    let r = parse_ref(image);
    let name = r.name.to_ascii_lowercase();
    if name.is_empty() || name.contains('$') {
        return None;
    }
    // Docker's MCP catalog names its servers after the product they talk to (`mcp/postgres`).
    if r.namespace.split('/').next() == Some("mcp") {
        return None;
    }
    if r.registry == Some("nvcr.io") && r.namespace.split('/').next() == Some("nim") {
        return Some(NIM);
    }
    let e = TABLE.iter().find(|e| {
        e.names.contains(&name.as_str())
            && ns_matches(e.ns, &r)
            && e.tag_prefix.is_none_or(|p| r.tag.is_some_and(|t| t.starts_with(p)))
    })?;
    let mut known = e.image;
    if r.is_bitnami() && known.data != DataDir::None {
        known.data = Bitnami;
    }
    Some(known)
}

/// Images that retry their connections to the services they depend on, or do not
/// need them at startup: reverse proxies, dashboards, log and metrics shippers,
/// admin UIs and the Confluent Platform components (which wait for Kafka).
pub(crate) fn retries_connections(image: &str) -> bool {
    let r = parse_ref(image);
    let name = r.name.to_ascii_lowercase();
    const NAMES: &[&str] = &[
        "nginx",
        "nginx-unprivileged",
        "openresty",
        "traefik",
        "caddy",
        "haproxy",
        "envoy",
        "httpd",
        "kong",
        "chproxy",
        "grafana",
        "grafana-oss",
        "grafana-enterprise",
        "kibana",
        "opensearch-dashboards",
        "logstash",
        "filebeat",
        "metricbeat",
        "fluentd",
        "fluent-bit",
        "vector",
        "prometheus",
        "opentelemetry-collector",
        "opentelemetry-collector-contrib",
        "all-in-one",
        "pgadmin4",
        "adminer",
        "phpmyadmin",
        "mongo-express",
        "redis-commander",
        "redisinsight",
        "kafka-ui",
        "kafdrop",
        "akhq",
        "conduktor-console",
        "cp-schema-registry",
        "cp-kafka-rest",
        "cp-kafka-connect",
        "cp-server-connect",
        "cp-ksqldb-server",
        "cp-enterprise-control-center",
        "cp-control-center",
    ];
    NAMES.contains(&name.as_str()) || (name == "console" && ns_matches(Ns::Only(&["vectorized", "redpandadata"]), &r))
}

/// Images whose processes share tensors through `/dev/shm` (PyTorch workers, NCCL), so
/// Docker's 64 MB default is too small: vLLM, TGI, Triton, SGLang, Ray, PyTorch.
pub(crate) fn uses_shared_memory(image: &str) -> bool {
    let r = parse_ref(image);
    let name = r.name.to_ascii_lowercase();
    match name.as_str() {
        "vllm-openai" | "vllm-openai-rocm" | "text-generation-inference" => true,
        "vllm" => ns_matches(Ns::Only(&["vllm", "rocm"]), &r),
        "tritonserver" | "pytorch" => ns_matches(Ns::Only(&["nvidia", "pytorch", "rocm"]), &r),
        "sglang" => ns_matches(Ns::Only(&["lmsysorg"]), &r),
        "ray" | "ray-ml" | "ray-llm" => ns_matches(Ns::Only(&["rayproject", "anyscale"]), &r),
        _ => false,
    }
}

/// The PostgreSQL major version of a postgres-family tag: `17`, `18-alpine`,
/// `16-3.4` (postgis), `pg16` / `0.8.0-pg17` (pgvector), `latest-pg16` (timescaledb).
pub(crate) fn postgres_major(tag: &str) -> Option<u32> {
    let pg = tag.match_indices("pg").find_map(|(i, _)| {
        let d: String = tag[i + 2..].chars().take_while(char::is_ascii_digit).collect();
        d.parse::<u32>().ok()
    });
    pg.or_else(|| {
        let d: String = tag.chars().take_while(char::is_ascii_digit).collect();
        d.parse::<u32>().ok().filter(|v| (9..100).contains(v))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_images() {
        for i in ["nginx", "postgres:17", "library/redis", "docker.io/library/node:22"] {
            assert!(is_official_image(&parse_ref(i)), "{i}");
        }
        for i in ["etl-kafka", "example/nginx", "ghcr.io/example/postgres", "demo-microservice"] {
            assert!(!is_official_image(&parse_ref(i)), "{i}");
        }
    }

    #[test]
    fn references() {
        let r = parse_ref("docker.io/library/postgres:17@sha256:abc");
        assert_eq!(
            (r.registry, r.namespace, r.name, r.tag, r.digest),
            (Some("docker.io"), "library", "postgres", Some("17"), Some("sha256:abc"))
        );
        assert!(r.is_official());
        let r = parse_ref("localhost:5000/team/redis");
        assert_eq!((r.registry, r.namespace, r.name, r.tag), (Some("localhost:5000"), "team", "redis", None));
        let r = parse_ref("ghcr.io/ggml-org/llama.cpp:server-cuda");
        assert_eq!((r.name, r.tag), ("llama.cpp", Some("server-cuda")));
        let r = parse_ref("postgres:${PG_VERSION:-17}");
        assert_eq!((r.name, r.tag), ("postgres", Some("${PG_VERSION:-17}")));
        let r = parse_ref("docker.io/postgres:${PG_VERSION:-17}@sha256:x");
        assert_eq!((r.registry, r.name, r.tag), (Some("docker.io"), "postgres", Some("${PG_VERSION:-17}")));
        let r = parse_ref("${REGISTRY:-docker.io/x}/redis:7");
        assert_eq!((r.registry, r.name, r.tag), (Some("${REGISTRY:-docker.io/x}"), "redis", Some("7")));
        assert_eq!(parse_ref("localhost:5000").name, "localhost");
        assert_eq!(parse_ref("").name, "");
        assert_eq!(parse_ref("a/:x@").name, "");
    }

    #[test]
    fn lookups() {
        assert_eq!(lookup("postgres").unwrap().data, Postgres);
        assert_eq!(lookup("bitnami/postgresql:16").unwrap().data, Bitnami);
        assert_eq!(lookup("docker.io/bitnamilegacy/redis-cluster:8.0").unwrap().kind, Cache);
        assert!(lookup("example/postgres-exporter").is_none());
        assert!(lookup("${DB_IMAGE}").is_none());
        assert_eq!(lookup("mcr.microsoft.com/mssql/server:2022-latest").unwrap().product, "mssql");
        assert!(lookup("example/server").is_none());
        assert_eq!(lookup("confluentinc/cp-kafka:7.8.0").unwrap().data, Dirs(&["/var/lib/kafka/data"]));
        assert_eq!(lookup("zookeeper:3.9").unwrap().data, Dirs(&["/data"]));
        assert_eq!(lookup("wurstmeister/zookeeper").unwrap().data, Unknown);
        assert_eq!(lookup("ghcr.io/ggml-org/llama.cpp:server").unwrap().kind, ModelServer);
        assert!(lookup("ghcr.io/ggml-org/llama.cpp:full").is_none());
        assert_eq!(lookup("nvcr.io/nim/meta/llama-3.1-8b-instruct:latest").unwrap().product, "nim");
        assert_eq!(lookup("nvcr.io/nvidia/tritonserver:24.08-py3").unwrap().product, "triton");
        assert!(lookup("example/tritonserver").is_none());
        assert_eq!(lookup("OLLAMA/OLLAMA").unwrap().product, "ollama");
        assert!(lookup("mcp/clickhouse").is_none());
        assert!(lookup("mcp/postgres").is_none());
        assert!(lookup("example/clickhouse").is_none());
        assert_eq!(lookup("clickhouse:25.8").unwrap().product, "clickhouse");
        assert!(retries_connections("nginx:1.27"));
        assert!(retries_connections("docker.redpanda.com/vectorized/console:v2.3.7"));
        assert!(!retries_connections("example/console"));
    }

    #[test]
    fn versions() {
        assert_eq!(postgres_major("pg16"), Some(16));
        assert_eq!(postgres_major("latest-pg17"), Some(17));
        assert_eq!(postgres_major("2.14.2-pg16"), Some(16));
        assert_eq!(postgres_major("16-3.4"), Some(16));
        assert_eq!(postgres_major("18.1-trixie"), Some(18));
        assert_eq!(postgres_major("v0.5.1"), None);
        assert_eq!(postgres_major("alpine"), None);
    }
}
