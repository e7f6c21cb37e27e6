//! The Compose Specification as static data: every key, its one-line
//! description, the types and values it takes. Read by [`super`] (validation,
//! hover and completion). Keys of every `keys` list are sorted (bytewise), so
//! lookups are binary searches; a unit test checks the order.

use super::{Def, Format, Other, Prop};

const S: u8 = super::Types::STRING.0;
const I: u8 = super::Types::INTEGER.0;
const N: u8 = super::Types::NUMBER.0;
const B: u8 = super::Types::BOOLEAN.0;
const Z: u8 = super::Types::NULL.0;
const L: u8 = super::Types::LIST.0;
const M: u8 = super::Types::MAP.0;

// ---------------------------------------------------------------- shared shapes

pub(super) static STR: Def = Def::of(S);
static STR_OR_NULL: Def = Def::of(S | Z);
static BOOLISH: Def = Def::of(B | S).format(Format::Bool);
static BOOL: Def = Def::of(B).format(Format::Bool);
static INTISH: Def = Def::of(I | S).format(Format::Int);
static NUMISH_INT: Def = Def::of(N | S).format(Format::Int);
static NUMISH: Def = Def::of(N | S).format(Format::Number);
static NUM: Def = Def::of(N);
static INT: Def = Def::of(I);
static DURATION: Def = Def::of(S).format(Format::Duration);
static BYTES: Def = Def::of(N | S).format(Format::Bytes);
static BYTES_STR: Def = Def::of(S).format(Format::Bytes);
static LIST_OF_STRINGS: Def = Def::of(L).items(&STR).unique();
static LIST_STR: Def = Def::of(L).items(&STR);
static STRING_OR_LIST: Def = Def::of(S | L).items(&STR).unique();
static SCALAR_VALUE: Def = Def::of(S | N | B | Z);
pub(super) static LIST_OR_DICT: Def = Def::of(M | L)
    .other(Other::Any { desc: "An entry: a string, number, boolean or null", def: &SCALAR_VALUE })
    .items(&STR)
    .unique();
static COMMAND: Def = Def::of(Z | S | L).items(&STR);
static DRIVER_OPTS: Def =
    Def::of(M).other(Other::Any { desc: "A driver option: a string or a number", def: &Def::of(S | N) });
static EXTRA_HOSTS: Def = Def::of(M | L)
    .other(Other::Any { desc: "IP address(es) for this host name", def: &Def::of(S | L).items(&STR) })
    .items(&STR)
    .unique();

static ULIMIT: Def = Def::of(I | S | M)
    .format(Format::Int)
    .keys(&[
        ("hard", "The hard limit: the ceiling a process may raise its soft limit to", &INTISH),
        ("soft", "The soft limit: the value enforced", &INTISH),
    ])
    .ext()
    .req(&["soft", "hard"]);
static ULIMITS: Def = Def::of(M)
    .other(Other::Lower { desc: "One limit: a number for both soft and hard, or `soft` and `hard`", def: &ULIMIT });

static CONFIG_OR_SECRET_REF: Def = Def::of(S | M)
    .keys(&[
        ("gid", "Group id owning the file in the container (default 0)", &STR),
        ("mode", "Permissions of the file in the container, in octal (e.g. 0440)", &NUMISH_INT),
        ("source", "Name of the top-level entry to grant", &STR),
        ("target", "Path (or file name) of the file in the container", &STR),
        ("uid", "User id owning the file in the container (default 0)", &STR),
    ])
    .ext()
    .req(&["source"]);
static CONFIG_OR_SECRET_REFS: Def = Def::of(L).items(&CONFIG_OR_SECRET_REF);

static SERVICE_HOOK: Def = Def::of(M)
    .keys(&[
        ("command", "The command to run, as a string or a list", &COMMAND),
        ("environment", "Extra environment variables for the command", &LIST_OR_DICT),
        ("privileged", "Run the command with extended privileges", &BOOLISH),
        ("user", "User to run the command as (default: the service's user)", &STR),
        ("working_dir", "Directory to run the command in", &STR),
    ])
    .ext()
    .req(&["command"]);
static SERVICE_HOOKS: Def = Def::of(L).items(&SERVICE_HOOK);

static DEVICE_REQUEST_KEYS: &[Prop] = &[
    ("capabilities", "Capabilities the device must have (e.g. `gpu`)", &LIST_OF_STRINGS),
    ("count", "How many devices to reserve: a number or `all`", &Def::of(S | I).format(Format::Count)),
    ("device_ids", "Ids of the devices to reserve (instead of `count`)", &LIST_OF_STRINGS),
    ("driver", "Device driver (e.g. `nvidia`)", &STR),
    ("options", "Driver-specific options", &LIST_OR_DICT),
];
static DEVICE_REQUEST: Def = Def::of(M).keys(DEVICE_REQUEST_KEYS).ext().any_of(&["capabilities", "driver"], &[]);
static GPU_REQUEST: Def = Def::of(M).keys(DEVICE_REQUEST_KEYS).ext();

static BLKIO_LIMIT: Def = Def::of(M).keys(&[
    ("path", "Device path (e.g. /dev/sda)", &STR),
    ("rate", "Limit, in bytes or operations per second", &INTISH),
]);
static BLKIO_WEIGHT: Def = Def::of(M).keys(&[
    ("path", "Device path (e.g. /dev/sda)", &STR),
    ("weight", "Relative weight for the device (10 to 1000)", &INTISH),
]);
static BLKIO_LIMITS: Def = Def::of(L).items(&BLKIO_LIMIT);

static EXTERNAL_CLOSED: Def = Def::of(B | S | M)
    .format(Format::Bool)
    .keys(&[("name", "Deprecated: the name of the existing object (use the top-level `name`)", &STR)])
    .ext();
static EXTERNAL_OPEN: Def = Def::of(B | S | M)
    .format(Format::Bool)
    .keys(&[("name", "The name of the existing object (prefer the top-level `name`)", &STR)])
    .other(Other::Free);

// ---------------------------------------------------------------- service parts

static BUILD: Def = Def::of(S | M)
    .keys(&[
        ("additional_contexts", "Extra named build contexts (name: path, URL or image)", &LIST_OR_DICT),
        ("args", "Build arguments, as a mapping or a list of KEY=VALUE", &LIST_OR_DICT),
        ("cache_from", "Sources the builder may use as cache", &LIST_STR),
        ("cache_to", "Destinations to export the build cache to", &LIST_STR),
        ("context", "The build context: a directory or a URL", &STR),
        ("dockerfile", "The Dockerfile, relative to the context", &STR),
        ("dockerfile_inline", "The Dockerfile's content, written inline", &STR),
        ("entitlements", "Extra privileges the build may use (e.g. `network.host`)", &LIST_STR),
        ("extra_hosts", "Host name mappings added during the build", &EXTRA_HOSTS),
        ("isolation", "Isolation technology for the build (platform-specific)", &STR),
        ("labels", "Labels set on the built image", &LIST_OR_DICT),
        ("network", "Network for RUN instructions (`default`, `none`, `host` or a name)", &STR),
        ("no_cache", "Build without using the cache", &BOOLISH),
        ("platforms", "Platforms to build for (e.g. linux/amd64)", &LIST_STR),
        ("privileged", "Run the build with extended privileges", &BOOLISH),
        ("provenance", "Attach a provenance attestation (true, false or options)", &Def::of(S | B)),
        ("pull", "Always pull newer versions of the base images", &BOOLISH),
        ("sbom", "Attach an SBOM attestation (true, false or options)", &Def::of(S | B)),
        ("secrets", "Secrets the build may read (by name, or long form)", &CONFIG_OR_SECRET_REFS),
        ("shm_size", "Size of /dev/shm during the build (e.g. 2g)", &Def::of(I | S).format(Format::Bytes)),
        ("ssh", "SSH agent sockets or keys the build may use (`default` or id=path)", &LIST_OR_DICT),
        ("tags", "Extra tags for the built image", &LIST_STR),
        ("target", "The Dockerfile stage to build", &STR),
        ("ulimits", "Resource limits during the build", &ULIMITS),
    ])
    .ext();

static BLKIO_CONFIG: Def = Def::of(M).keys(&[
    ("device_read_bps", "Read rate limits per device, in bytes per second", &BLKIO_LIMITS),
    ("device_read_iops", "Read rate limits per device, in operations per second", &BLKIO_LIMITS),
    ("device_write_bps", "Write rate limits per device, in bytes per second", &BLKIO_LIMITS),
    ("device_write_iops", "Write rate limits per device, in operations per second", &BLKIO_LIMITS),
    ("weight", "Relative block IO weight of the container (10 to 1000)", &INTISH),
    ("weight_device", "Block IO weights per device", &Def::of(L).items(&BLKIO_WEIGHT)),
]);

static CREDENTIAL_SPEC: Def = Def::of(M)
    .keys(&[
        ("config", "Name of a config holding the credential spec", &STR),
        ("file", "Credential spec file (Windows)", &STR),
        ("registry", "Credential spec in the Windows registry", &STR),
    ])
    .ext();

static DEPENDENCY: Def = Def::of(M)
    .keys(&[
        (
            "condition",
            "When the dependency counts as ready",
            &Def::of(S).values(&["service_started", "service_healthy", "service_completed_successfully"]),
        ),
        ("required", "Fail when the dependency is missing (default true)", &BOOL),
        ("restart", "Restart this service when the dependency is updated", &BOOLISH),
    ])
    .ext()
    .req(&["condition"]);
static DEPENDS_ON: Def = Def::of(L | M).items(&STR).unique().other(Other::Names {
    desc: "A service this one waits for",
    def: &DEPENDENCY,
    strict: true,
});

static PLACEMENT: Def = Def::of(M)
    .keys(&[
        ("constraints", "Node constraints (e.g. node.role==manager)", &LIST_STR),
        ("max_replicas_per_node", "Most replicas of the service on one node", &INTISH),
        (
            "preferences",
            "Placement preferences",
            &Def::of(L)
                .items(&Def::of(M).keys(&[("spread", "Spread tasks over the values of this node label", &STR)]).ext()),
        ),
    ])
    .ext();

static LIMITS: Def = Def::of(M)
    .keys(&[
        ("cpus", "Most CPU cores the container may use (e.g. 0.5)", &NUMISH),
        ("memory", "Most memory the container may use (e.g. 512M)", &BYTES_STR),
        ("pids", "Most processes the container may run", &INTISH),
    ])
    .ext();
static GENERIC_RESOURCES: Def = Def::of(L).items(
    &Def::of(M)
        .keys(&[(
            "discrete_resource_spec",
            "A countable resource",
            &Def::of(M)
                .keys(&[("kind", "Kind of resource (e.g. GPU)", &STR), ("value", "How many to reserve", &NUMISH)])
                .ext(),
        )])
        .ext(),
);
static RESERVATIONS: Def = Def::of(M)
    .keys(&[
        ("cpus", "CPU cores reserved for the container", &NUMISH),
        ("devices", "Devices (such as GPUs) reserved for the container", &Def::of(L).items(&DEVICE_REQUEST)),
        ("generic_resources", "User-defined resources to reserve", &GENERIC_RESOURCES),
        ("memory", "Memory reserved for the container (e.g. 256M)", &BYTES_STR),
    ])
    .ext();

static ROLLBACK_CONFIG: Def = Def::of(M)
    .keys(&[
        ("delay", "Time to wait between rolling back groups (e.g. 10s)", &DURATION),
        ("failure_action", "What to do when a rollback fails", &Def::of(S).values(&["continue", "pause"]).swarm_only()),
        ("max_failure_ratio", "Share of failures tolerated during a rollback", &NUMISH),
        ("monitor", "How long to watch each task for failure after rollback", &DURATION),
        (
            "order",
            "Stop old tasks before starting new ones, or the reverse",
            &Def::of(S).values(&["stop-first", "start-first"]),
        ),
        ("parallelism", "Containers rolled back at a time (0: all)", &INTISH),
    ])
    .ext();
static UPDATE_CONFIG: Def = Def::of(M)
    .keys(&[
        ("delay", "Time to wait between updating groups (e.g. 10s)", &DURATION),
        (
            "failure_action",
            "What to do when an update fails",
            &Def::of(S).values(&["continue", "rollback", "pause"]).swarm_only(),
        ),
        ("max_failure_ratio", "Share of failures tolerated during an update", &NUMISH),
        ("monitor", "How long to watch each task for failure after update", &DURATION),
        (
            "order",
            "Stop old tasks before starting new ones, or the reverse",
            &Def::of(S).values(&["stop-first", "start-first"]),
        ),
        ("parallelism", "Containers updated at a time", &INTISH),
    ])
    .ext();

static DEPLOY: Def = Def::of(M | Z)
    .keys(&[
        (
            "endpoint_mode",
            "How clients reach the service: a virtual IP or DNS round-robin",
            &Def::of(S).values(&["vip", "dnsrr"]).swarm_only(),
        ),
        ("labels", "Labels on the service (not on its containers)", &LIST_OR_DICT),
        (
            "mode",
            "Replicated (a set number of tasks), global (one per node), or a job",
            &Def::of(S).values(&["replicated", "global", "replicated-job", "global-job"]).swarm_only(),
        ),
        ("placement", "Where the platform may run the containers", &PLACEMENT),
        ("replicas", "Number of containers to run", &INTISH),
        (
            "resources",
            "Resource limits and reservations",
            &Def::of(M)
                .keys(&[
                    ("limits", "The most the containers may use", &LIMITS),
                    ("reservations", "What the platform guarantees to the containers", &RESERVATIONS),
                ])
                .ext(),
        ),
        (
            "restart_policy",
            "When and how to restart containers that exit",
            &Def::of(M)
                .keys(&[
                    (
                        "condition",
                        "When to restart",
                        &Def::of(S).values(&["none", "on-failure", "any"]).compose_maps(&[
                            "no",
                            "always",
                            "unless-stopped",
                        ]),
                    ),
                    ("delay", "Time to wait between restart attempts (e.g. 5s)", &DURATION),
                    ("max_attempts", "Most restart attempts before giving up", &INTISH),
                    ("window", "How long to wait before deciding a restart succeeded", &DURATION),
                ])
                .ext(),
        ),
        ("rollback_config", "How to roll back when an update fails", &ROLLBACK_CONFIG),
        ("update_config", "How to roll out an update", &UPDATE_CONFIG),
    ])
    .ext();

static WATCH_RULE: Def = Def::of(M)
    .keys(&[
        (
            "action",
            "What to do on a change: rebuild, sync files, restart, or sync then restart/exec",
            &Def::of(S).values(&["rebuild", "sync", "restart", "sync+restart", "sync+exec"]),
        ),
        ("exec", "Command run in the container after a `sync+exec`", &SERVICE_HOOK),
        ("ignore", "Patterns (like .dockerignore) that never trigger the action", &STRING_OR_LIST),
        ("include", "Only changes matching these patterns trigger the action", &STRING_OR_LIST),
        ("initial_sync", "Sync the files once when the watch starts", &BOOLISH),
        ("path", "Path to watch, relative to the project directory", &STR),
        ("target", "Where synced files go in the container", &STR),
    ])
    .ext()
    .req(&["path", "action"]);
static DEVELOP: Def = Def::of(M | Z)
    .keys(&[("watch", "Rules that act on file changes (`docker compose watch`)", &Def::of(L).items(&WATCH_RULE))])
    .ext();

static DEVICE: Def = Def::of(S | M)
    .keys(&[
        ("permissions", "Cgroup permissions: any of r, w, m", &STR),
        ("source", "Device path on the host", &STR),
        ("target", "Device path in the container", &STR),
    ])
    .ext()
    .req(&["source"]);

static ENV_FILE: Def = Def::of(S | L).items(
    &Def::of(S | M)
        .keys(&[
            ("format", "File format (default: Compose's .env syntax; `raw` takes values as written)", &STR),
            ("path", "Path to the file", &STR),
            ("required", "Fail when the file is missing (default true)", &BOOLISH),
        ])
        .req(&["path"]),
);

static EXTENDS: Def = Def::of(S | M)
    .keys(&[
        ("file", "File holding that service (default: this file)", &STR),
        ("service", "Name of the service to extend", &STR),
    ])
    .req(&["service"]);

static HEALTHCHECK: Def = Def::of(M)
    .keys(&[
        ("disable", "Turn off the image's health check", &BOOLISH),
        ("interval", "Time between checks (default 30s)", &DURATION),
        ("retries", "Failures in a row before the container is unhealthy (default 3)", &NUMISH_INT),
        ("start_interval", "Time between checks during the start period", &DURATION),
        ("start_period", "Grace time after start during which failures do not count", &DURATION),
        (
            "test",
            "The check: a shell string, or a list starting with CMD, CMD-SHELL or NONE",
            &Def::of(S | L).items(&STR).format(Format::HealthTest),
        ),
        ("timeout", "How long one check may run (default 30s)", &DURATION),
    ])
    .ext();

static LOGGING: Def = Def::of(M)
    .keys(&[
        ("driver", "Logging driver (e.g. json-file, local, syslog)", &STR),
        (
            "options",
            "Options of the logging driver (e.g. max-size)",
            &Def::of(M).other(Other::Any { desc: "A logging option", def: &Def::of(S | N | Z) }),
        ),
    ])
    .ext();

static SERVICE_MODELS: Def = Def::of(L | M).items(&STR).unique().other(Other::Names {
    desc: "A model this service uses",
    def: &Def::of(M | Z)
        .keys(&[
            ("endpoint_var", "Variable that receives the model's endpoint URL", &STR),
            ("model_var", "Variable that receives the model's name", &STR),
        ])
        .ext(),
    strict: false,
});

static SERVICE_NETWORK: Def = Def::of(M | Z)
    .keys(&[
        ("aliases", "Extra host names of the service on this network", &LIST_OF_STRINGS),
        ("driver_opts", "Driver options for this connection", &DRIVER_OPTS),
        ("gw_priority", "Priority for picking the default gateway (highest wins)", &NUM),
        ("interface_name", "Name of the network interface in the container", &STR),
        ("ipv4_address", "Fixed IPv4 address on this network", &STR),
        ("ipv6_address", "Fixed IPv6 address on this network", &STR),
        ("link_local_ips", "Link-local IP addresses", &LIST_OF_STRINGS),
        ("mac_address", "MAC address on this network", &STR),
        ("priority", "Order in which networks are connected (highest first)", &NUM),
    ])
    .ext();
static SERVICE_NETWORKS: Def = Def::of(L | M).items(&STR).unique().other(Other::Names {
    desc: "A network this service joins",
    def: &SERVICE_NETWORK,
    strict: true,
});

static PORT: Def = Def::of(N | S | M)
    .format(Format::Port)
    .keys(&[
        ("app_protocol", "Application protocol, as a hint (e.g. http)", &STR),
        ("host_ip", "Host address to listen on (default: all)", &STR),
        (
            "mode",
            "`host` publishes on each node; `ingress` load-balances",
            &Def::of(S).values(&["host", "ingress"]).swarm_only(),
        ),
        ("name", "A name for this port", &STR),
        ("protocol", "tcp, udp or sctp (default tcp)", &Def::of(S).values(&["tcp", "udp", "sctp"])),
        ("published", "Port (or range) on the host", &Def::of(S | I).format(Format::PortRange)),
        ("target", "Port in the container", &INTISH),
    ])
    .ext()
    .req(&["target"]);

static PROVIDER: Def = Def::of(M)
    .keys(&[
        (
            "options",
            "Options passed to the provider",
            &Def::of(M).other(Other::Any {
                desc: "A provider option",
                def: &Def::of(S | N | B | L).items(&Def::of(S | N | B)),
            }),
        ),
        ("type", "The provider (a Compose plugin) that manages this service", &STR),
    ])
    .ext()
    .req(&["type"]);

static SERVICE_VOLUME: Def = Def::of(S | M)
    .keys(&[
        (
            "bind",
            "Options of a bind mount",
            &Def::of(M)
                .keys(&[
                    ("create_host_path", "Create the host path when missing", &BOOLISH),
                    (
                        "propagation",
                        "Mount propagation",
                        &Def::of(S).values(&["shared", "slave", "private", "rshared", "rslave", "rprivate"]),
                    ),
                    (
                        "recursive",
                        "How sub-mounts are handled",
                        &Def::of(S).values(&["enabled", "disabled", "writable", "readonly"]),
                    ),
                    ("selinux", "SELinux relabel: z (shared) or Z (private)", &Def::of(S).values(&["z", "Z"])),
                ])
                .ext(),
        ),
        ("consistency", "Consistency of the mount (platform-specific)", &STR),
        (
            "image",
            "Options of an image mount",
            &Def::of(M).keys(&[("subpath", "Path inside the image to mount", &STR)]).ext(),
        ),
        ("read_only", "Mount read-only", &BOOLISH),
        ("source", "Host path, volume name or image; none for tmpfs", &STR),
        ("target", "Path in the container", &STR),
        (
            "tmpfs",
            "Options of a tmpfs mount",
            &Def::of(M)
                .keys(&[
                    ("mode", "File mode of the tmpfs, in octal", &Def::of(N | S)),
                    ("size", "Size of the tmpfs (e.g. 64m)", &Def::of(I | S).format(Format::Bytes).range(0, i64::MAX)),
                ])
                .ext(),
        ),
        ("type", "Kind of mount", &Def::of(S).values(&["bind", "volume", "tmpfs", "npipe", "cluster", "image"])),
        (
            "volume",
            "Options of a volume mount",
            &Def::of(M)
                .keys(&[
                    ("labels", "Labels for the volume", &LIST_OR_DICT),
                    ("nocopy", "Do not copy the image's data into a new volume", &BOOLISH),
                    ("subpath", "Path inside the volume to mount", &STR),
                ])
                .ext(),
        ),
    ])
    .ext()
    .req(&["type", "target"]);

pub(super) static SERVICE: Def = Def::of(M)
    .keys(&[
        ("annotations", "OCI annotations for the container", &LIST_OR_DICT),
        ("attach", "Show this service's logs in `docker compose up` (default true)", &BOOLISH),
        ("blkio_config", "Block IO limits and weights", &BLKIO_CONFIG),
        ("build", "How to build the image: a context path, or build options", &BUILD),
        ("cap_add", "Linux capabilities to add (e.g. NET_ADMIN)", &LIST_OF_STRINGS),
        ("cap_drop", "Linux capabilities to drop (e.g. ALL)", &LIST_OF_STRINGS),
        ("cgroup", "Cgroup namespace: `host` or `private`", &Def::of(S).values(&["host", "private"])),
        ("cgroup_parent", "Parent cgroup of the container", &STR),
        ("command", "Overrides the image's CMD: a string or a list", &COMMAND),
        ("configs", "Configs mounted into the container", &CONFIG_OR_SECRET_REFS),
        ("container_name", "A fixed container name instead of the generated one", &STR),
        ("cpu_count", "Number of usable CPUs (Windows)", &Def::of(I | S).format(Format::Int).range(0, i64::MAX)),
        (
            "cpu_percent",
            "Usable share of the CPUs, in percent (Windows)",
            &Def::of(I | S).format(Format::Int).range(0, 100),
        ),
        ("cpu_period", "CPU CFS period, in microseconds", &NUMISH_INT),
        ("cpu_quota", "CPU CFS quota, in microseconds", &NUMISH_INT),
        ("cpu_rt_period", "Real-time scheduler period, in microseconds or a duration", &NUMISH),
        ("cpu_rt_runtime", "Real-time scheduler runtime, in microseconds or a duration", &NUMISH),
        ("cpu_shares", "Relative CPU weight", &NUMISH_INT),
        ("cpus", "CPU cores the container may use (e.g. 1.5)", &NUMISH),
        ("cpuset", "CPUs the container may run on (e.g. 0-3 or 0,1)", &STR),
        ("credential_spec", "Credential spec for a managed service account (Windows)", &CREDENTIAL_SPEC),
        ("depends_on", "Services to start first, as a list or with conditions", &DEPENDS_ON),
        ("deploy", "Deployment settings: replicas, resources, restart policy", &DEPLOY),
        ("develop", "Development settings for `docker compose watch`", &DEVELOP),
        ("device_cgroup_rules", "Device cgroup rules (e.g. 'c 1:3 mr')", &LIST_OF_STRINGS),
        ("devices", "Host devices to map into the container", &Def::of(L).items(&DEVICE)),
        ("dns", "DNS servers", &STRING_OR_LIST),
        ("dns_opt", "DNS resolver options", &LIST_OF_STRINGS),
        ("dns_search", "DNS search domains", &STRING_OR_LIST),
        ("domainname", "Domain name of the container", &STR),
        ("entrypoint", "Overrides the image's ENTRYPOINT: a string or a list", &COMMAND),
        ("env_file", "Files with environment variables", &ENV_FILE),
        ("environment", "Environment variables, as a mapping or a list of KEY=VALUE", &LIST_OR_DICT),
        (
            "expose",
            "Ports reachable by other services, not published on the host",
            &Def::of(L).items(&Def::of(S | N).format(Format::Expose)).unique(),
        ),
        ("extends", "Start from another service's configuration", &EXTENDS),
        ("external_links", "Containers started outside this project to link to", &LIST_OF_STRINGS),
        ("extra_hosts", "Extra /etc/hosts entries (host:IP)", &EXTRA_HOSTS),
        (
            "gpus",
            "GPUs for the container: `all` or a list of device requests",
            &Def::of(S | L).values(&["all"]).items(&GPU_REQUEST),
        ),
        ("group_add", "Extra groups for the container's user", &Def::of(L).items(&Def::of(S | N)).unique()),
        ("healthcheck", "How to tell whether the container is healthy", &HEALTHCHECK),
        ("hostname", "Host name of the container", &STR),
        ("image", "The image to run (name[:tag] or name@digest)", &STR),
        ("init", "Run an init process that forwards signals and reaps zombies", &BOOLISH),
        ("ipc", "IPC namespace: `host`, `shareable` or `service:NAME`", &STR),
        ("isolation", "Isolation technology (platform-specific)", &STR),
        ("label_file", "Files with labels", &Def::of(S | L).items(&STR)),
        ("labels", "Labels on the container", &LIST_OR_DICT),
        ("links", "Legacy links to other services (SERVICE[:ALIAS])", &LIST_OF_STRINGS),
        ("logging", "Logging driver and options", &LOGGING),
        ("mac_address", "MAC address of the container", &STR),
        ("mem_limit", "Memory limit (e.g. 512m)", &BYTES),
        ("mem_reservation", "Memory reservation (e.g. 256m)", &Def::of(S | I).format(Format::Bytes)),
        ("mem_swappiness", "How much the kernel may swap (0 to 100)", &INTISH),
        ("memswap_limit", "Memory plus swap limit (-1: unlimited swap)", &BYTES),
        ("models", "Models (top-level `models`) this service uses", &SERVICE_MODELS),
        ("network_mode", "Network mode: `bridge`, `host`, `none`, `service:NAME` or `container:NAME`", &STR),
        ("networks", "Networks to join, as a list or with per-network settings", &SERVICE_NETWORKS),
        ("oom_kill_disable", "Do not kill the container when out of memory", &BOOLISH),
        (
            "oom_score_adj",
            "Out-of-memory kill preference (-1000 to 1000)",
            &Def::of(I | S).format(Format::Int).range(-1000, 1000),
        ),
        ("pid", "PID namespace: `host` or `service:NAME`", &STR_OR_NULL),
        ("pids_limit", "Most processes in the container (-1: unlimited)", &NUMISH_INT),
        ("platform", "Platform to run on (e.g. linux/amd64)", &STR),
        (
            "ports",
            "Ports published on the host ([HOST:]CONTAINER[/PROTOCOL], or long form)",
            &Def::of(L).items(&PORT).unique(),
        ),
        ("post_start", "Commands run in the container after it starts", &SERVICE_HOOKS),
        ("pre_stop", "Commands run in the container before it stops", &SERVICE_HOOKS),
        ("privileged", "Run with all capabilities and host devices", &BOOLISH),
        ("profiles", "Profiles that enable this service", &LIST_OF_STRINGS),
        ("provider", "Let a provider plugin manage this service instead of Compose", &PROVIDER),
        ("pull_policy", "When to pull the image", &Def::of(S).format(Format::PullPolicy)),
        ("pull_refresh_after", "Age after which the image is pulled again (with `pull_policy: refresh`)", &STR),
        ("read_only", "Mount the container's root filesystem read-only", &BOOLISH),
        (
            "restart",
            "Restart policy: no, always, on-failure[:N] or unless-stopped",
            &Def::of(S).format(Format::Restart),
        ),
        ("runtime", "OCI runtime (e.g. runc, nvidia)", &STR),
        ("scale", "Number of containers to run", &INTISH),
        ("secrets", "Secrets mounted into the container", &CONFIG_OR_SECRET_REFS),
        ("security_opt", "Security options (e.g. no-new-privileges:true)", &LIST_OF_STRINGS),
        ("shm_size", "Size of /dev/shm (e.g. 1g)", &BYTES),
        ("stdin_open", "Keep standard input open", &BOOLISH),
        ("stop_grace_period", "Time between the stop signal and SIGKILL (default 10s)", &DURATION),
        ("stop_signal", "Signal that stops the container (default SIGTERM)", &STR),
        ("storage_opt", "Storage driver options", &Def::of(M).other(Other::Free)),
        ("sysctls", "Kernel parameters for the container", &LIST_OR_DICT),
        ("tmpfs", "Paths mounted as tmpfs", &STRING_OR_LIST),
        ("tty", "Allocate a terminal", &BOOLISH),
        ("ulimits", "Resource limits (e.g. nofile)", &ULIMITS),
        ("use_api_socket", "Mount the Docker API socket and credentials into the container", &BOOL),
        ("user", "User (and group) to run as: name or UID[:GID]", &STR),
        ("userns_mode", "User namespace (e.g. host)", &STR),
        ("uts", "UTS namespace (e.g. host)", &STR),
        (
            "volumes",
            "Mounts: HOST_OR_VOLUME:CONTAINER[:MODE], or long form",
            &Def::of(L).items(&SERVICE_VOLUME).unique(),
        ),
        ("volumes_from", "Mount all volumes of another service or container", &LIST_OF_STRINGS),
        ("working_dir", "Working directory of the command", &STR),
    ])
    .ext();

// ---------------------------------------------------------------- top-level entries

static NETWORK: Def = Def::of(M | Z)
    .keys(&[
        ("attachable", "Let standalone containers join this network", &BOOLISH),
        ("driver", "Network driver (default bridge)", &STR),
        ("driver_opts", "Driver options", &DRIVER_OPTS),
        ("enable_ipv4", "Give containers IPv4 addresses", &BOOLISH),
        ("enable_ipv6", "Give containers IPv6 addresses", &BOOLISH),
        ("external", "The network exists already; Compose does not create it", &EXTERNAL_CLOSED),
        ("internal", "No access to outside networks", &BOOLISH),
        (
            "ipam",
            "IP address management",
            &Def::of(M)
                .keys(&[
                    (
                        "config",
                        "Address pools",
                        &Def::of(L).items(
                            &Def::of(M)
                                .keys(&[
                                    (
                                        "aux_addresses",
                                        "Addresses the driver reserves (name: IP)",
                                        &Def::of(M).other(Other::Any { desc: "An address", def: &STR }),
                                    ),
                                    ("gateway", "Gateway address", &STR),
                                    ("ip_range", "Range containers get addresses from", &STR),
                                    ("subnet", "Subnet in CIDR form (e.g. 172.28.0.0/16)", &STR),
                                ])
                                .ext(),
                        ),
                    ),
                    ("driver", "IPAM driver", &STR),
                    (
                        "options",
                        "IPAM driver options",
                        &Def::of(M).other(Other::Any { desc: "An IPAM option", def: &STR }),
                    ),
                ])
                .ext(),
        ),
        ("labels", "Labels on the network", &LIST_OR_DICT),
        ("name", "The network's actual name (not prefixed with the project)", &STR),
    ])
    .ext();

static VOLUME: Def = Def::of(M | Z)
    .keys(&[
        ("driver", "Volume driver (default local)", &STR),
        ("driver_opts", "Driver options (e.g. type, device, o)", &DRIVER_OPTS),
        ("external", "The volume exists already; Compose does not create it", &EXTERNAL_CLOSED),
        ("labels", "Labels on the volume", &LIST_OR_DICT),
        ("name", "The volume's actual name (not prefixed with the project)", &STR),
    ])
    .ext();

static SECRET: Def = Def::of(M)
    .keys(&[
        ("driver", "Secret driver", &STR),
        ("driver_opts", "Driver options", &DRIVER_OPTS),
        ("environment", "Variable whose value is the secret", &STR),
        ("external", "The secret exists already on the platform", &EXTERNAL_OPEN),
        ("file", "File whose content is the secret", &STR),
        ("labels", "Labels on the secret", &LIST_OR_DICT),
        ("name", "The secret's actual name on the platform", &STR),
        ("template_driver", "Templating driver for the secret's content", &STR),
    ])
    .ext()
    .any_of(&["file", "environment"], &["external", "driver"]);

static CONFIG: Def = Def::of(M)
    .keys(&[
        ("content", "The config's content, inline", &STR),
        ("environment", "Variable whose value is the config", &STR),
        ("external", "The config exists already on the platform", &EXTERNAL_OPEN),
        ("file", "File whose content is the config", &STR),
        ("labels", "Labels on the config", &LIST_OR_DICT),
        ("name", "The config's actual name on the platform", &STR),
        ("template_driver", "Templating driver for the config's content", &STR),
    ])
    .ext()
    .any_of(&["file", "environment", "content"], &["external", "driver"]);

static MODEL: Def = Def::of(M)
    .keys(&[
        ("context_size", "Context window of the model, in tokens", &INT),
        ("model", "The model to run (an OCI artifact, e.g. ai/smollm2)", &STR),
        ("name", "Name of the model on the platform", &STR),
        ("runtime_flags", "Raw flags passed to the inference engine", &LIST_STR),
    ])
    .ext()
    .req(&["model"]);

static INCLUDE: Def = Def::of(S | M).keys(&[
    ("env_file", "Env files used to interpolate the included files", &STRING_OR_LIST),
    ("path", "The Compose file(s) to include", &STRING_OR_LIST),
    ("project_directory", "Directory that relative paths of the included files start from", &STR),
]);

pub(super) static ROOT: Def = Def::of(M)
    .keys(&[
        (
            "configs",
            "Configs that services can mount",
            &Def::of(M).other(Other::Names { desc: "A config", def: &CONFIG, strict: true }),
        ),
        ("include", "Other Compose files to include in this project", &Def::of(L).items(&INCLUDE)),
        (
            "models",
            "AI models that services can use",
            &Def::of(M).other(Other::Names { desc: "A model", def: &MODEL, strict: false }),
        ),
        ("name", "The project name (lower-case letters, digits, `-` and `_`)", &Def::of(S).format(Format::ProjectName)),
        (
            "networks",
            "Networks that services can join",
            &Def::of(M).other(Other::Names { desc: "A network", def: &NETWORK, strict: false }),
        ),
        (
            "secrets",
            "Secrets that services can mount",
            &Def::of(M).other(Other::Names { desc: "A secret", def: &SECRET, strict: true }),
        ),
        (
            "services",
            "The containers of the application",
            &Def::of(M).other(Other::Names { desc: "A service", def: &SERVICE, strict: true }),
        ),
        ("version", "Obsolete; Compose ignores it", &Def::of(S | N)),
        (
            "volumes",
            "Named volumes that services can mount",
            &Def::of(M).other(Other::Names { desc: "A volume", def: &VOLUME, strict: true }),
        ),
    ])
    .ext();
