//! What berth knows about well-known images: what kind of service an image
//! runs (database, cache, queue, search engine, vector store, object store,
//! model server) and where the official image keeps its data (or, for a model
//! server, its downloaded models).
//!
//! It is the one table of image facts for every rule (Compose and
//! Dockerfile) and editor feature:
//! what an image runs, where it keeps its data and which variables move it,
//! which base images are GPU frameworks,
//! whether it declares a health check, where its model server listens,
//! which images are Docker socket proxies and which retry their connections.
//! Every product has the page its facts were read from in [`SOURCES`] (a test
//! checks that none is missing).
//!
//! Image families that move the data directory for all their images are
//! applied after the table: Bitnami (`bitnami/*`: under `/bitnami`) and
//! LinuxServer.io (`linuxserver/*`, `lscr.io/linuxserver/*`: `/config`).
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
    /// LinuxServer.io images: everything under `/config`.
    LinuxServer,
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

impl KnownImage {
    /// Where this product's facts were read.
    pub fn source(&self) -> &'static str {
        source(self.product).unwrap_or("")
    }

    /// The port a model server's API listens on in the container, when it has a fixed default.
    pub(crate) fn api_port(&self) -> Option<u16> {
        API_PORTS.iter().find(|(p, _)| *p == self.product).map(|(_, port)| *port)
    }
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

    /// LinuxServer.io images (`linuxserver/mariadb`, `lscr.io/linuxserver/mariadb`,
    /// `ghcr.io/linuxserver/mariadb`), which keep all their state in `/config`.
    pub(crate) fn is_linuxserver(&self) -> bool {
        self.namespace.split('/').next() == Some("linuxserver")
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

use DataDir::{Bitnami, Dirs, LinuxServer, MinioCommand, Postgres, Unknown};
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
    if r.is_linuxserver() && known.data != DataDir::None {
        known.data = LinuxServer;
        known.data_env = &[];
    }
    Some(known)
}

/// The page each product's facts (data directory, variables, health check,
/// port) were read from: the image's documentation or its Dockerfile.
pub(crate) static SOURCES: &[(&str, &str)] = &[
    (
        "postgres",
        "https://github.com/docker-library/postgres/blob/master/18/trixie/Dockerfile (PGDATA /var/lib/postgresql/18/docker, VOLUME /var/lib/postgresql; 17: /var/lib/postgresql/data)",
    ),
    ("mysql", "https://hub.docker.com/_/mysql (Where to Store Data: /var/lib/mysql)"),
    ("mongo", "https://hub.docker.com/_/mongo (Where to Store Data: /data/db)"),
    ("clickhouse", "https://hub.docker.com/r/clickhouse/clickhouse-server (/var/lib/clickhouse)"),
    ("clickhouse-keeper", "https://hub.docker.com/r/clickhouse/clickhouse-keeper"),
    ("neo4j", "https://neo4j.com/docs/operations-manual/current/docker/mounting-volumes/ (/data)"),
    (
        "influxdb",
        "https://hub.docker.com/_/influxdb (/var/lib/influxdb2; 1.x /var/lib/influxdb; 3.x /var/lib/influxdb3)",
    ),
    ("cassandra", "https://hub.docker.com/_/cassandra (/var/lib/cassandra)"),
    (
        "scylla",
        "https://docs.scylladb.com/manual/stable/operating-scylla/procedures/tips/best-practices-scylla-on-docker.html (/var/lib/scylla)",
    ),
    ("couchdb", "https://hub.docker.com/_/couchdb (/opt/couchdb/data)"),
    ("arangodb", "https://hub.docker.com/_/arangodb (/var/lib/arangodb3)"),
    (
        "cockroach",
        "https://www.cockroachlabs.com/docs/stable/start-a-local-cluster-in-docker-linux (/cockroach/cockroach-data)",
    ),
    (
        "mssql",
        "https://learn.microsoft.com/en-us/sql/linux/sql-server-linux-docker-container-configure (/var/opt/mssql)",
    ),
    ("redis", "https://hub.docker.com/_/redis (persistent storage: /data)"),
    ("valkey", "https://hub.docker.com/r/valkey/valkey (/data)"),
    ("memcached", "https://hub.docker.com/_/memcached (in-memory only)"),
    ("dragonfly", "https://www.dragonflydb.io/docs/getting-started/docker (/data)"),
    ("keydb", "https://hub.docker.com/r/eqalpha/keydb (/data)"),
    ("rabbitmq", "https://hub.docker.com/_/rabbitmq (/var/lib/rabbitmq; node name from the hostname)"),
    (
        "kafka",
        "https://docs.confluent.io/platform/current/installation/docker/operations/external-volumes.html (/var/lib/kafka/data, KAFKA_LOG_DIRS)",
    ),
    ("zookeeper", "https://hub.docker.com/_/zookeeper (/data, /datalog)"),
    ("redpanda", "https://docs.redpanda.com/current/get-started/quick-start/ (/var/lib/redpanda/data)"),
    ("nats", "https://hub.docker.com/_/nats (no persistence without JetStream)"),
    ("pulsar", "https://pulsar.apache.org/docs/next/getting-started-docker/"),
    (
        "elasticsearch",
        "https://www.elastic.co/docs/deploy-manage/deploy/self-managed/install-elasticsearch-docker-prod (/usr/share/elasticsearch/data)",
    ),
    (
        "opensearch",
        "https://docs.opensearch.org/latest/install-and-configure/install-opensearch/docker/ (/usr/share/opensearch/data)",
    ),
    ("meilisearch", "https://www.meilisearch.com/docs/guides/docker (/meili_data)"),
    ("typesense", "https://typesense.org/docs/guide/install-typesense.html#docker (--data-dir)"),
    ("solr", "https://hub.docker.com/_/solr (/var/solr)"),
    ("qdrant", "https://qdrant.tech/documentation/guides/installation/#docker (/qdrant/storage)"),
    ("milvus", "https://milvus.io/docs/install_standalone-docker-compose.md (/var/lib/milvus)"),
    (
        "weaviate",
        "https://docs.weaviate.io/deploy/installation-guides/docker-installation (PERSISTENCE_DATA_PATH, /var/lib/weaviate)",
    ),
    ("chroma", "https://docs.trychroma.com/guides/deploy/docker (/data; before 1.0 /chroma/chroma)"),
    ("minio", "https://min.io/docs/minio/container/index.html (the paths after `minio server`)"),
    ("ollama", "https://hub.docker.com/r/ollama/ollama (/root/.ollama, port 11434)"),
    ("vllm", "https://docs.vllm.ai/en/latest/deployment/docker.html (/root/.cache/huggingface, port 8000)"),
    ("text-generation-inference", "https://huggingface.co/docs/text-generation-inference/quicktour (/data, port 80)"),
    ("text-embeddings-inference", "https://huggingface.co/docs/text-embeddings-inference/quick_tour (/data, port 80)"),
    ("llama.cpp server", "https://github.com/ggml-org/llama.cpp/blob/master/docs/docker.md (port 8080)"),
    ("localai", "https://localai.io/basics/container/ (/models, /build/models, port 8080)"),
    (
        "triton",
        "https://docs.nvidia.com/deeplearning/triton-inference-server/user-guide/docs/getting_started/quickstart.html (ports 8000-8002)",
    ),
    ("ray", "https://docs.ray.io/en/latest/ray-overview/installation.html#docker-source-images"),
    (
        "xinference",
        "https://inference.readthedocs.io/en/latest/getting_started/using_docker_image.html (XINFERENCE_HOME, port 9997)",
    ),
    ("sglang", "https://docs.sglang.ai/get_started/install.html#method-3-using-docker (port 30000)"),
    ("infinity", "https://michaelfeil.github.io/infinity/ (port 7997)"),
    (
        "nim",
        "https://docs.nvidia.com/nim/large-language-models/latest/configuration.html (NIM_CACHE_PATH /opt/nim/.cache, port 8000)",
    ),
    ("bitnami", "https://github.com/bitnami/containers (persistence under /bitnami/<app>)"),
    ("linuxserver", "https://docs.linuxserver.io/general/running-our-containers/ (all state in /config)"),
    (
        "socket-proxy",
        "https://github.com/Tecnativa/docker-socket-proxy, https://docs.linuxserver.io/images/docker-socket-proxy/, https://github.com/wollomatic/socket-proxy",
    ),
    (
        "traefik",
        "https://doc.traefik.io/traefik/operations/api/ (`api.insecure`: the dashboard and API on port 8080 without authentication)",
    ),
    ("CUDA", "https://hub.docker.com/r/nvidia/cuda"),
    ("NVIDIA NGC", "https://catalog.ngc.nvidia.com/containers"),
    ("PyTorch", "https://hub.docker.com/r/pytorch/pytorch"),
    ("TensorFlow", "https://hub.docker.com/r/tensorflow/tensorflow"),
    ("Hugging Face", "https://hub.docker.com/u/huggingface"),
    ("ROCm", "https://hub.docker.com/u/rocm"),
];

fn source(product: &str) -> Option<&'static str> {
    SOURCES.iter().find(|(p, _)| *p == product).map(|(_, s)| *s)
}

/// Markdown for an editor hover over an image reference: what berth knows
/// about the image (kind, data directory, the variables that move it, the
/// API port of a model server) and where that was read.
pub fn describe(image: &str) -> Option<String> {
    let known = lookup(image)?;
    let r = parse_ref(image);
    let mut md = format!("**{}** · {}", known.product, known.kind.noun());
    let data = match known.data {
        DataDir::None => Some("nothing that outlives the container".to_string()),
        DataDir::Unknown => None,
        Dirs(d) => Some(d.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(" or ")),
        Postgres => Some(match r.tag.filter(|t| !t.contains('$')).and_then(postgres_major) {
            Some(v) if v >= 18 => format!("`/var/lib/postgresql/{v}/docker` (mount `/var/lib/postgresql`)"),
            Some(_) => "`/var/lib/postgresql/data`".to_string(),
            None => format!(
                "`/var/lib/postgresql/data` before 18, `/var/lib/postgresql/<major>/docker` from 18 on (mount `/var/lib/postgresql`; `latest` is {POSTGRES_LATEST_MAJOR})"
            ),
        }),
        Bitnami => Some(format!("under `/bitnami` (`/bitnami/{}`)", r.name)),
        LinuxServer => Some("`/config`".to_string()),
        MinioCommand => Some("the paths given to `minio server`".to_string()),
    };
    let noun = if known.kind == ModelServer { "Models" } else { "Data" };
    if let Some(d) = data {
        md.push_str(&format!("\n\n{noun}: {d}"));
    }
    if !known.data_env.is_empty() {
        let vars: Vec<String> = known.data_env.iter().map(|v| format!("`{v}`")).collect();
        md.push_str(&format!(", moved by {}", vars.join(", ")));
    }
    if let Some(p) = known.api_port() {
        md.push_str(&format!("\n\nAPI port: `{p}` (no authentication by default)"));
    }
    let family = if r.is_bitnami() {
        source("bitnami")
    } else if r.is_linuxserver() {
        source("linuxserver")
    } else {
        None
    };
    for s in [Some(known.source()), family].into_iter().flatten().filter(|s| !s.is_empty()) {
        md.push_str(&format!("\n\nSource: {s}"));
    }
    Some(md)
}

/// The port each model server's API listens on in the container by default.
static API_PORTS: &[(&str, u16)] = &[
    ("ollama", 11434),
    ("vllm", 8000),
    ("text-generation-inference", 80),
    ("text-embeddings-inference", 80),
    ("llama.cpp server", 8080),
    ("localai", 8080),
    ("triton", 8000),
    ("xinference", 9997),
    ("sglang", 30000),
    ("infinity", 7997),
    ("nim", 8000),
];

/// Traefik (`traefik`, `docker.io/library/traefik`, `traefik/traefik`), whose
/// `api.insecure` option serves the dashboard and API without authentication
/// on the `traefik` entry point, port 8080 unless moved.
pub(crate) fn is_traefik(image: &str) -> bool {
    parse_ref(image).name.eq_ignore_ascii_case("traefik")
}

/// The port of Traefik's `traefik` entry point (where `api.insecure` serves the API).
pub(crate) const TRAEFIK_API_PORT: u16 = 8080;

/// Docker socket proxies: they hold the socket so that other services do not,
/// and pass on only the API calls they are configured to allow
/// (`tecnativa/docker-socket-proxy`, `linuxserver/socket-proxy`,
/// `wollomatic/socket-proxy`, `11notes/socket-proxy`).
pub(crate) fn socket_proxy(image: &str) -> bool {
    let r = parse_ref(image);
    matches!(r.name.to_ascii_lowercase().as_str(), "docker-socket-proxy" | "socket-proxy" | "docker-proxy-acl")
}

/// A command that starts a model server, for services built from a Dockerfile
/// or run from a general-purpose image: `ollama serve`, `vllm serve`,
/// `python -m vllm.entrypoints.openai.api_server`, `text-generation-launcher`,
/// `text-embeddings-router`, `llama-server`, `local-ai`, `tritonserver`,
/// `python -m sglang.launch_server`, `xinference-local`, `infinity_emb v2`.
pub(crate) fn model_server_command(words: &[String]) -> Option<&'static str> {
    let flat: Vec<&str> = words.iter().flat_map(|w| w.split_whitespace()).collect();
    let base = |w: &str| w.rsplit('/').next().unwrap_or(w).to_string();
    for (i, w) in flat.iter().enumerate() {
        let next = flat.get(i + 1).copied().unwrap_or("");
        let found = match base(w).as_str() {
            "ollama" if next == "serve" => Some("ollama"),
            "vllm" if next == "serve" => Some("vllm"),
            "text-generation-launcher" => Some("text-generation-inference"),
            "text-embeddings-router" => Some("text-embeddings-inference"),
            "llama-server" => Some("llama.cpp server"),
            "local-ai" => Some("localai"),
            "tritonserver" => Some("triton"),
            "xinference-local" => Some("xinference"),
            "infinity_emb" => Some("infinity"),
            _ if w.starts_with("vllm.entrypoints") => Some("vllm"),
            _ if *w == "sglang.launch_server" => Some("sglang"),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// A command that does one job with a model server's image and exits, rather
/// than serving: `ollama pull llama3` (or `pull llama3` after the image's
/// `ollama` entrypoint), `ollama create`, `huggingface-cli download`,
/// `sleep 3; ollama pull ...`. A command that also runs `serve` is a server.
pub(crate) fn one_shot_command(words: &[String]) -> bool {
    let flat: Vec<&str> =
        words.iter().flat_map(|w| w.split([' ', ';', '&', '|', '\n'])).filter(|w| !w.is_empty()).collect();
    if flat.iter().any(|w| *w == "serve" || w.ends_with("-server") || w.contains("api_server")) {
        return false;
    }
    const JOBS: &[&str] = &["pull", "create", "push", "cp", "rm", "list", "show", "download", "run"];
    let base = |w: &str| w.rsplit('/').next().unwrap_or(w).to_string();
    // The image's own entrypoint is `ollama`: `command: pull llama3`.
    if flat.first().is_some_and(|w| matches!(*w, "pull" | "create" | "push" | "cp" | "rm" | "list" | "show")) {
        return true;
    }
    flat.windows(2).any(|p| matches!(base(p[0]).as_str(), "ollama" | "huggingface-cli" | "hf") && JOBS.contains(&p[1]))
}

/// The known model server of that product (for a server found by its command).
pub(crate) fn model_server(product: &str) -> Option<KnownImage> {
    TABLE.iter().map(|e| e.image).chain(std::iter::once(NIM)).find(|k| k.kind == ModelServer && k.product == product)
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

/// The major version that `postgres:latest` (and untagged `postgres`) runs.
pub(crate) const POSTGRES_LATEST_MAJOR: u32 = 18;

/// The GPU framework of a base image (Dockerfile rules BD3004 and BD3006),
/// judged by registry and repository: NVIDIA NGC
/// (`nvcr.io/...`), CUDA (`nvidia/cuda*`), PyTorch, TensorFlow, Hugging Face
/// (`huggingface/...` on Docker Hub or ghcr.io), ROCm (`rocm/...`).
pub(crate) fn gpu_framework(registry: Option<&str>, repository: &str) -> Option<&'static str> {
    let repo = repository.to_ascii_lowercase();
    let registry = registry.map(str::to_ascii_lowercase);
    if repo.contains('$') || registry.as_deref().is_some_and(|r| r.contains('$')) {
        return None;
    }
    let hub = matches!(registry.as_deref(), None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io"));
    match registry.as_deref() {
        Some("nvcr.io") => return Some("NVIDIA NGC"),
        Some("ghcr.io") if repo.starts_with("huggingface/") => return Some("Hugging Face"),
        _ => {}
    }
    if !hub {
        return None;
    }
    if repo.starts_with("nvidia/cuda") {
        Some("CUDA")
    } else if repo == "pytorch/pytorch" {
        Some("PyTorch")
    } else if repo == "tensorflow/tensorflow" {
        Some("TensorFlow")
    } else if repo.starts_with("huggingface/") {
        Some("Hugging Face")
    } else if repo.starts_with("rocm/") {
        Some("ROCm")
    } else {
        None
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

/// What a well-known port of a data image serves when it is not the data
/// protocol itself: web consoles, admin APIs, cluster and controller ports.
/// Messages name the port by it instead of calling it a database port.
pub(crate) fn port_role(image: &str, container_port: u16) -> Option<&'static str> {
    let r = parse_ref(image);
    let name = r.name.to_ascii_lowercase();
    Some(match (name.as_str(), container_port) {
        ("minio", 9001) => "MinIO console port",
        ("redpanda", 9644) => "Redpanda admin API port",
        ("redpanda", 8081) => "Redpanda schema registry port",
        ("redpanda", 8082) => "Redpanda HTTP proxy port",
        ("neo4j", 7474) => "Neo4j Browser (HTTP API) port",
        ("rabbitmq", 15672) => "RabbitMQ management UI port",
        ("elasticsearch" | "opensearch", 9300) => "cluster transport port",
        ("zookeeper" | "cp-zookeeper", 8080) => "ZooKeeper AdminServer port",
        ("zookeeper" | "cp-zookeeper", 2888) => "ZooKeeper peer port",
        ("zookeeper" | "cp-zookeeper", 3888) => "ZooKeeper leader election port",
        // ZooKeeper is a coordination service, not a broker: its other ports are client ports.
        ("zookeeper" | "cp-zookeeper", _) => "ZooKeeper client port",
        _ => return None,
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
    fn families_and_sources() {
        assert_eq!(lookup("lscr.io/linuxserver/mariadb:11").unwrap().data, LinuxServer);
        assert_eq!(lookup("linuxserver/mariadb").unwrap().data, LinuxServer);
        assert!(socket_proxy("tecnativa/docker-socket-proxy:0.3"));
        assert!(socket_proxy("lscr.io/linuxserver/socket-proxy:latest"));
        assert!(!socket_proxy("portainer/portainer-ce"));
        for e in TABLE {
            assert!(source(e.image.product).is_some(), "no source for {}", e.image.product);
        }
        assert!(!NIM.source().is_empty());
        for (reg, repo) in [(None, "nvidia/cuda"), (Some("nvcr.io"), "nvidia/pytorch"), (None, "rocm/pytorch")] {
            let f = gpu_framework(reg, repo).unwrap();
            assert!(source(f).is_some(), "no source for {f}");
        }
        assert_eq!(gpu_framework(Some("ghcr.io"), "example/cuda"), None);
        assert_eq!(lookup("ollama/ollama").unwrap().api_port(), Some(11434));
        let w = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert_eq!(model_server_command(&w("python3 -m vllm.entrypoints.openai.api_server --model x")), Some("vllm"));
        assert_eq!(model_server_command(&w("/bin/sh -c ollama serve")), Some("ollama"));
        assert_eq!(model_server_command(&w("ollama pull llama3")), None);
        assert_eq!(model_server("vllm").unwrap().product, "vllm");
        let md = describe("postgres:18").unwrap();
        assert!(md.contains("/var/lib/postgresql/18/docker") && md.contains("docker-library/postgres"), "{md}");
        assert!(describe("lscr.io/linuxserver/mariadb").unwrap().contains("`/config`"));
        assert!(describe("ollama/ollama").unwrap().contains("11434"));
        assert!(describe("example/app").is_none());
        assert!(one_shot_command(&w("pull llama3")));
        assert!(one_shot_command(&w("/bin/sh -c sleep 3; ollama pull llama3")));
        assert!(one_shot_command(&["bash".into(), "-c".into(), "ollama create m -f /Modelfile".into()]));
        assert!(!one_shot_command(&w("/bin/sh -c ollama serve & sleep 5; ollama pull llama3; wait")));
        assert!(!one_shot_command(&w("serve")));
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
