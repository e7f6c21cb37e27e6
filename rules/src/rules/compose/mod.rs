//! Compose rules, one file each, and the helpers they share.

mod api_port_on_all_interfaces;
mod auth_disabled;
mod build_files;
mod command_substitution;
mod confinement_disabled;
mod dangerous_capability;
mod database_port_on_all_interfaces;
mod dependency_cycle;
mod depends_on_not_ready;
mod deprecated_image;
mod docker_socket_mounted;
mod duplicate_container_name;
mod duplicate_key;
mod duplicate_published_port;
mod eol_image;
mod floating_image_tag;
mod from_arg_without_value;
mod gpu_service_without_shm_size;
mod host_agents;
mod host_namespace;
mod image_missing_platform;
/// Image facts live beside both rule groups (`rules/src/rules/images.rs`).
pub(crate) use super::images;
mod invalid_container_name;
mod invalid_gpu_reservation;
mod invalid_interpolation;
mod invalid_type;
mod invalid_value;
mod literal_secret;
mod missing_build_context;
mod missing_dockerfile;
mod missing_extends_target;
mod missing_include_file;
mod missing_or_invalid_env_file;
mod missing_project_name;
mod missing_required_key;
mod model_cache_not_persisted;
mod model_server_without_limits;
mod multiple_yaml_documents;
mod no_build_and_image;
mod no_version_field;
mod nvidia_runtime;
mod ordering;
mod ports;
mod privileged_container;
mod privileged_host_port;
mod published_port_not_exposed;
mod quoted_list_value;
mod quoted_volume;
mod rabbitmq_without_hostname;
pub(crate) mod refs;
mod registry;
mod required_variable_unset;
mod root_user;
mod sensitive_host_path;
mod service_healthy_without_healthcheck;
mod service_image_digest_not_found;
mod service_image_platform_missing;
mod service_image_stale_pin;
mod service_image_tag_not_found;
mod service_image_unpinned;
mod service_keys_order;
mod service_storage;
mod stateful_image_floating_tag;
mod stateful_service_without_volume;
mod top_level_keys_order;
mod typographic_quotes;
mod unbound_port_interface;
mod undeclared_build_arg;
mod undefined_config_or_secret;
mod undefined_network;
mod undefined_service;
mod undefined_volume;
mod unknown_build_target;
mod unknown_key;
mod unquoted_port;
mod unsorted_dependencies;
mod unsorted_ports;
mod unsorted_services;
mod unused_declaration;
mod variable_not_set;
mod yaml11_boolean_or_base60;

use crate::compose::{Key, Node};
use crate::engine::{ComposeRule, Diagnostic};
use crate::text::Span;

/// Every Compose rule, in code order.
pub static RULES: &[&dyn ComposeRule] = &[
    &unknown_key::UnknownKey,
    &invalid_type::InvalidType,
    &invalid_value::InvalidValue,
    &missing_required_key::MissingRequiredKey,
    &invalid_interpolation::InvalidInterpolation,
    &required_variable_unset::RequiredVariableUnset,
    &variable_not_set::VariableNotSet,
    &duplicate_key::DuplicateKey,
    &no_version_field::NoVersionField,
    &yaml11_boolean_or_base60::Yaml11BooleanOrBase60,
    &typographic_quotes::TypographicQuotes,
    &no_build_and_image::NoBuildAndImage,
    &duplicate_container_name::DuplicateContainerName,
    &duplicate_published_port::DuplicatePublishedPort,
    &quoted_volume::QuotedVolume,
    &unbound_port_interface::UnboundPortInterface,
    &missing_project_name::MissingProjectName,
    &unquoted_port::UnquotedPort,
    &invalid_container_name::InvalidContainerName,
    &unsorted_dependencies::UnsortedDependencies,
    &floating_image_tag::FloatingImageTag,
    &service_keys_order::ServiceKeysOrder,
    &unsorted_ports::UnsortedPorts,
    &unsorted_services::UnsortedServices,
    &top_level_keys_order::TopLevelKeysOrder,
    &quoted_list_value::QuotedListValue,
    &command_substitution::CommandSubstitution,
    &privileged_container::PrivilegedContainer,
    &docker_socket_mounted::DockerSocketMounted,
    &database_port_on_all_interfaces::DatabasePortOnAllInterfaces,
    &dangerous_capability::DangerousCapability,
    &host_namespace::HostNamespace,
    &sensitive_host_path::SensitiveHostPath,
    &confinement_disabled::ConfinementDisabled,
    &literal_secret::LiteralSecret,
    &privileged_host_port::PrivilegedHostPort,
    &root_user::RootUser,
    &api_port_on_all_interfaces::ApiPortOnAllInterfaces,
    &auth_disabled::AuthDisabled,
    &stateful_service_without_volume::StatefulServiceWithoutVolume,
    &depends_on_not_ready::DependsOnNotReady,
    &service_healthy_without_healthcheck::ServiceHealthyWithoutHealthcheck,
    &invalid_gpu_reservation::InvalidGpuReservation,
    &nvidia_runtime::NvidiaRuntime,
    &model_server_without_limits::ModelServerWithoutLimits,
    &model_cache_not_persisted::ModelCacheNotPersisted,
    &stateful_image_floating_tag::StatefulImageFloatingTag,
    &gpu_service_without_shm_size::GpuServiceWithoutShmSize,
    &rabbitmq_without_hostname::RabbitmqWithoutHostname,
    &undefined_service::UndefinedService,
    &undefined_network::UndefinedNetwork,
    &undefined_volume::UndefinedVolume,
    &undefined_config_or_secret::UndefinedConfigOrSecret,
    &unused_declaration::UnusedDeclaration,
    &dependency_cycle::DependencyCycle,
    &missing_include_file::MissingIncludeFile,
    &missing_extends_target::MissingExtendsTarget,
    &missing_or_invalid_env_file::MissingOrInvalidEnvFile,
    &missing_build_context::MissingBuildContext,
    &missing_dockerfile::MissingDockerfile,
    &unknown_build_target::UnknownBuildTarget,
    &undeclared_build_arg::UndeclaredBuildArg,
    &from_arg_without_value::FromArgWithoutValue,
    &published_port_not_exposed::PublishedPortNotExposed,
    &multiple_yaml_documents::MultipleYamlDocuments,
    &eol_image::EolImage,
    &deprecated_image::DeprecatedImage,
    &image_missing_platform::ImageMissingPlatform,
    &service_image_tag_not_found::ServiceImageTagNotFound,
    &service_image_platform_missing::ServiceImagePlatformMissing,
    &service_image_digest_not_found::ServiceImageDigestNotFound,
    &service_image_unpinned::ServiceImageUnpinned,
    &service_image_stale_pin::ServiceImageStalePin,
];

/// Where to report a finding about `key: value` of the resolved view: the
/// entry itself when written in place, else the alias or `<<` that brought it
/// in (and the place it was written, for a related note).
pub(crate) fn place(key: &Key, value: &Node) -> (Span, Option<Span>) {
    match value.via.or(key.via) {
        Some(via) => (via, Some(key.span.cover(value.span))),
        None => (key.span.cover(value.span), None),
    }
}

/// Each service's `image:` as [`crate::compose::service_images`] reads it
/// (interpolated with the project's variables), with the image reference it
/// names when its value is known: what every rule that judges a service's
/// image iterates over.
pub(crate) fn service_images<'c>(
    cx: &'c crate::engine::ComposeContext<'_>,
) -> impl Iterator<Item = (crate::compose::ServiceImage<'c>, Option<crate::model::ImageRef>)> + 'c {
    crate::compose::service_images(&cx.file.services, &cx.project.env).map(|si| {
        let image = si.text.as_deref().map(crate::model::ImageRef::parse);
        (si, image)
    })
}

/// The images written without variables (what the offline image rules judge).
pub(crate) fn literal_images<'c>(
    cx: &'c crate::engine::ComposeContext<'_>,
) -> impl Iterator<Item = (crate::compose::ServiceImage<'c>, crate::model::ImageRef)> + 'c {
    service_images(cx).filter_map(|(si, image)| if si.literal { Some((si, image?)) } else { None })
}

/// Same for a node without a key (a sequence item).
pub(crate) fn place_node(node: &Node) -> (Span, Option<Span>) {
    match node.via {
        Some(via) => (via, Some(node.span)),
        None => (node.span, None),
    }
}

/// The schema problems of one kind, each reported where it was written or,
/// for content brought in by an alias or merge, where it was used.
pub(crate) fn schema_problems(
    cx: &crate::engine::ComposeContext<'_>,
    kind: crate::compose::schema::ProblemKind,
) -> impl Iterator<Item = (Span, Option<Span>, crate::compose::schema::Problem)> {
    let f = cx.file;
    f.schema_problems(kind).cloned().map(|p| match p.via {
        Some(via) => (via, Some(p.span), p),
        None => (p.span, None, p),
    })
}

pub(crate) fn with_written(d: Diagnostic, written: Option<Span>) -> Diagnostic {
    match written {
        Some(w) => d.with_related(w, "written here"),
        None => d,
    }
}

/// Visit every node of a tree (depth is bounded by the parser).
pub(crate) fn walk<'a>(n: &'a Node, f: &mut dyn FnMut(Option<&'a Key>, &'a Node)) {
    fn go<'a>(k: Option<&'a Key>, n: &'a Node, f: &mut dyn FnMut(Option<&'a Key>, &'a Node)) {
        f(k, n);
        match &n.kind {
            crate::compose::Kind::Map(e) => e.iter().for_each(|(k, v)| go(Some(k), v, f)),
            crate::compose::Kind::Seq(items) => items.iter().for_each(|v| go(None, v, f)),
            _ => {}
        }
    }
    go(None, n, f)
}

/// Quote a string for YAML: double quotes when nothing needs escaping, else single.
pub(crate) fn yaml_quote(s: &str) -> String {
    if !s.contains(['"', '\\']) && !s.chars().any(char::is_control) {
        format!("\"{s}\"")
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}
