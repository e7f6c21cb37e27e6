//! What berth knows, offline, about the life of base images: the end-of-life
//! dates of the versions of common images, the images that are deprecated and
//! what replaces them, and which platforms some images publish (only the
//! images whose platforms are narrower than the usual set are listed).
//!
//! It is the one table of lifecycle facts, used by BD4001/BD4002 (Dockerfile
//! `FROM`), BC6001/BC6002 (Compose `image:`) and the platform rules. Every
//! product carries the page its dates were read from and the day they were
//! compiled ([`COMPILED`]); `docs/lifecycle.md` says how to update the table.
//!
//! Dates are the end of the support that the image itself receives: for a
//! language runtime the end of upstream security fixes, for Debian the end of
//! Debian LTS (the official `debian` image is rebuilt until then), for Ubuntu
//! the end of standard support (the `ubuntu` image does not carry ESM). A
//! date that was only announced as a month is the last day of that month, so
//! berth never reports an end of life early.
//!
//! Matching: an image matches a product by its repository as Docker Hub
//! names it (`python`, `library/python`, `docker.io/library/python` and the
//! mirrors `public.ecr.aws/docker/library/python`, `mirror.gcr.io/library/python`
//! are all `python`), or by its full name for other registries
//! (`mcr.microsoft.com/dotnet/sdk`). The tag's first part (`3.7` of
//! `3.7-slim-buster`) names the version when its numbers start with the
//! cycle's (`3.7.12` is cycle `3.7`; `3` is no cycle: it moves). The other
//! parts of an official image's tag may name the distribution it is built on
//! (`buster`, `alpine3.12`, `ubuntu18.04`): that distribution's end of life
//! applies too.

use crate::model::ImageRef;

/// The day the table was compiled, and the default `as-of` date of the rules
/// when the front end gives none.
pub const COMPILED: &str = "2026-12-06";

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// `YYYY-MM-DD`, a real day.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let mut it = s.splitn(3, '-');
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date { year: y.parse().ok()?, month: m.parse().ok()?, day: d.parse().ok()? };
        (date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= days_in_month(date.year, date.month))
            .then_some(date)
    }

    /// Days since 1970-01-01 (proleptic Gregorian calendar).
    pub fn days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A product with dated release cycles.
#[derive(Debug)]
pub struct Product {
    /// How messages name it.
    pub name: &'static str,
    /// Image names (see the module docs for how they are compared).
    pub images: &'static [&'static str],
    /// Where the dates were read.
    pub source: &'static str,
    /// When they were read.
    pub checked: &'static str,
    /// `(cycle, end of life)`: a cycle is a version prefix (`3.7`) or a
    /// code name (`buster`); several names of one cycle are listed apart.
    pub cycles: &'static [(&'static str, &'static str)],
    /// Whether the rest of the tag can name a distribution (official
    /// language images); false for the distributions themselves.
    pub distro_suffix: bool,
}

const EOLDATE: &str = "2026-12-06";

/// The products, by name.
pub static PRODUCTS: &[Product] = &[
    Product {
        name: "Python",
        images: &["python", "pypy"],
        source: "https://devguide.python.org/versions/ (https://endoflife.date/python)",
        checked: EOLDATE,
        cycles: &[
            ("2.6", "2013-10-29"),
            ("2.7", "2020-01-01"),
            ("3.3", "2017-09-29"),
            ("3.4", "2019-03-18"),
            ("3.5", "2020-09-30"),
            ("3.6", "2021-12-23"),
            ("3.7", "2023-06-27"),
            ("3.8", "2024-10-07"),
            ("3.9", "2025-10-31"),
            ("3.10", "2026-10-31"),
            ("3.11", "2027-10-31"),
            ("3.12", "2028-10-31"),
            ("3.13", "2029-10-31"),
            ("3.14", "2030-10-31"),
        ],
        distro_suffix: true,
    },
    Product {
        name: "Node.js",
        images: &["node"],
        source: "https://github.com/nodejs/Release (https://endoflife.date/nodejs)",
        checked: EOLDATE,
        cycles: &[
            ("0.10", "2016-10-31"),
            ("0.12", "2016-12-31"),
            ("4", "2018-04-30"),
            ("argon", "2018-04-30"),
            ("5", "2016-06-30"),
            ("6", "2019-04-30"),
            ("boron", "2019-04-30"),
            ("7", "2017-06-30"),
            ("8", "2019-12-31"),
            ("carbon", "2019-12-31"),
            ("9", "2018-06-30"),
            ("10", "2021-04-30"),
            ("dubnium", "2021-04-30"),
            ("11", "2019-06-01"),
            ("12", "2022-04-30"),
            ("erbium", "2022-04-30"),
            ("13", "2020-06-01"),
            ("14", "2023-04-30"),
            ("fermium", "2023-04-30"),
            ("15", "2021-06-01"),
            ("16", "2023-09-11"),
            ("gallium", "2023-09-11"),
            ("17", "2022-06-01"),
            ("18", "2025-04-30"),
            ("hydrogen", "2025-04-30"),
            ("19", "2023-06-01"),
            ("20", "2026-04-30"),
            ("iron", "2026-04-30"),
            ("21", "2024-06-01"),
            ("22", "2027-04-30"),
            ("jod", "2027-04-30"),
            ("23", "2025-06-01"),
            ("24", "2028-04-30"),
            ("krypton", "2028-04-30"),
            ("25", "2026-06-01"),
        ],
        distro_suffix: true,
    },
    Product {
        name: "Go",
        images: &["golang"],
        // A release is supported until the release two versions later.
        source: "https://go.dev/doc/devel/release (https://endoflife.date/go)",
        checked: EOLDATE,
        cycles: &[
            ("1.8", "2018-02-16"),
            ("1.9", "2018-08-24"),
            ("1.10", "2019-02-25"),
            ("1.11", "2019-09-03"),
            ("1.12", "2020-02-25"),
            ("1.13", "2020-08-11"),
            ("1.14", "2021-02-16"),
            ("1.15", "2021-08-16"),
            ("1.16", "2022-03-15"),
            ("1.17", "2022-08-02"),
            ("1.18", "2023-02-01"),
            ("1.19", "2023-08-08"),
            ("1.20", "2024-02-06"),
            ("1.21", "2024-08-13"),
            ("1.22", "2025-02-11"),
            ("1.23", "2025-08-12"),
            // The 1.26 and 1.27 releases (February and August 2026, on Go's
            // six-month schedule): the last day of the month.
            ("1.24", "2026-02-28"),
            ("1.25", "2026-08-31"),
        ],
        distro_suffix: true,
    },
    Product {
        name: "Ruby",
        images: &["ruby"],
        source: "https://www.ruby-lang.org/en/downloads/branches/ (https://endoflife.date/ruby)",
        checked: EOLDATE,
        cycles: &[
            ("2.2", "2018-03-31"),
            ("2.3", "2019-03-31"),
            ("2.4", "2020-03-31"),
            ("2.5", "2021-03-31"),
            ("2.6", "2022-04-12"),
            ("2.7", "2023-03-31"),
            ("3.0", "2024-04-23"),
            ("3.1", "2025-03-26"),
            ("3.2", "2026-03-31"),
            ("3.3", "2027-03-31"),
            ("3.4", "2028-03-31"),
        ],
        distro_suffix: true,
    },
    Product {
        name: "PHP",
        images: &["php"],
        source: "https://www.php.net/supported-versions.php (https://endoflife.date/php)",
        checked: EOLDATE,
        cycles: &[
            ("5.6", "2018-12-31"),
            ("7.0", "2019-01-10"),
            ("7.1", "2019-12-01"),
            ("7.2", "2020-11-30"),
            ("7.3", "2021-12-06"),
            ("7.4", "2022-11-28"),
            ("8.0", "2023-11-26"),
            ("8.1", "2025-12-31"),
            ("8.2", "2026-12-31"),
            ("8.3", "2027-12-31"),
            ("8.4", "2028-12-31"),
        ],
        distro_suffix: true,
    },
    Product {
        name: "Eclipse Temurin (Java)",
        images: &["eclipse-temurin"],
        // Feature releases end when the next one ships; LTS dates are
        // Adoptium's "at least until" dates.
        source: "https://adoptium.net/support/ (https://endoflife.date/eclipse-temurin)",
        checked: EOLDATE,
        cycles: &[
            ("16", "2021-09-14"),
            ("18", "2022-09-20"),
            ("19", "2023-03-21"),
            ("20", "2023-09-19"),
            ("22", "2024-09-17"),
            ("23", "2025-03-18"),
            ("24", "2025-09-16"),
        ],
        distro_suffix: true,
    },
    Product {
        name: ".NET",
        images: &[
            "mcr.microsoft.com/dotnet/sdk",
            "mcr.microsoft.com/dotnet/aspnet",
            "mcr.microsoft.com/dotnet/runtime",
            "mcr.microsoft.com/dotnet/runtime-deps",
            "mcr.microsoft.com/dotnet/core/sdk",
            "mcr.microsoft.com/dotnet/core/aspnet",
            "mcr.microsoft.com/dotnet/core/runtime",
            "mcr.microsoft.com/dotnet/core/runtime-deps",
        ],
        source: "https://dotnet.microsoft.com/platform/support/policy/dotnet-core (https://endoflife.date/dotnet)",
        checked: EOLDATE,
        cycles: &[
            ("2.1", "2021-08-21"),
            ("2.2", "2019-12-23"),
            ("3.0", "2020-03-03"),
            ("3.1", "2022-12-13"),
            ("5.0", "2022-05-10"),
            ("6.0", "2024-11-12"),
            ("7.0", "2024-05-14"),
            ("8.0", "2026-11-10"),
            ("9.0", "2026-11-10"),
            ("10.0", "2028-11-14"),
        ],
        distro_suffix: true,
    },
    Product {
        name: "PostgreSQL",
        images: &["postgres"],
        source: "https://www.postgresql.org/support/versioning/",
        checked: EOLDATE,
        cycles: &[
            ("9.4", "2020-02-13"),
            ("9.5", "2021-02-11"),
            ("9.6", "2021-11-11"),
            ("10", "2022-11-10"),
            ("11", "2023-11-09"),
            ("12", "2024-11-21"),
            ("13", "2025-11-13"),
            ("14", "2026-11-12"),
            ("15", "2027-11-11"),
            ("16", "2028-11-09"),
            ("17", "2029-11-08"),
        ],
        distro_suffix: true,
    },
    Product {
        name: "MySQL",
        images: &["mysql"],
        source: "https://www.oracle.com/us/support/library/lifetime-support-technology-069183.pdf (https://endoflife.date/mysql)",
        checked: EOLDATE,
        cycles: &[("5.5", "2018-12-31"), ("5.6", "2021-02-28"), ("5.7", "2023-10-31"), ("8.0", "2026-04-30")],
        distro_suffix: true,
    },
    Product {
        name: "MariaDB",
        images: &["mariadb"],
        source: "https://mariadb.org/about/#maintenance-policy (https://endoflife.date/mariadb)",
        checked: EOLDATE,
        cycles: &[
            ("10.2", "2022-05-23"),
            ("10.3", "2023-05-25"),
            ("10.4", "2024-06-18"),
            ("10.5", "2025-06-24"),
            ("10.6", "2026-07-06"),
            ("10.7", "2023-02-09"),
            ("10.8", "2023-05-20"),
            ("10.9", "2023-08-22"),
            ("10.10", "2023-11-17"),
            ("10.11", "2028-02-16"),
            ("11.0", "2024-06-06"),
            ("11.1", "2024-08-21"),
            ("11.2", "2024-11-21"),
            ("11.3", "2024-05-29"),
            ("11.4", "2029-05-29"),
        ],
        distro_suffix: true,
    },
    Product {
        name: "MongoDB",
        images: &["mongo"],
        source: "https://www.mongodb.com/legal/support-policy/lifecycles (https://endoflife.date/mongodb)",
        checked: EOLDATE,
        cycles: &[
            ("3.6", "2021-04-30"),
            ("4.0", "2022-04-30"),
            ("4.2", "2023-04-30"),
            ("4.4", "2024-02-29"),
            ("5.0", "2024-10-31"),
            ("6.0", "2025-07-31"),
            ("7.0", "2027-08-31"),
        ],
        distro_suffix: true,
    },
    Product {
        name: "Debian",
        images: &["debian", "buildpack-deps"],
        // The end of Debian LTS: the official image is rebuilt until then.
        source: "https://wiki.debian.org/LTS (https://endoflife.date/debian)",
        checked: EOLDATE,
        cycles: &[
            ("7", "2018-05-31"),
            ("wheezy", "2018-05-31"),
            ("8", "2020-06-30"),
            ("jessie", "2020-06-30"),
            ("9", "2022-06-30"),
            ("stretch", "2022-06-30"),
            ("10", "2024-06-30"),
            ("buster", "2024-06-30"),
            ("11", "2026-08-31"),
            ("bullseye", "2026-08-31"),
            ("12", "2028-06-30"),
            ("bookworm", "2028-06-30"),
        ],
        distro_suffix: false,
    },
    Product {
        name: "Ubuntu",
        images: &["ubuntu"],
        // End of standard support; the image does not carry ESM updates.
        // 25.04 and 25.10: the announced month's last day.
        source: "https://ubuntu.com/about/release-cycle (https://endoflife.date/ubuntu)",
        checked: EOLDATE,
        cycles: &[
            ("12.04", "2017-04-28"),
            ("precise", "2017-04-28"),
            ("14.04", "2019-04-25"),
            ("trusty", "2019-04-25"),
            ("16.04", "2021-04-30"),
            ("xenial", "2021-04-30"),
            ("16.10", "2017-07-20"),
            ("yakkety", "2017-07-20"),
            ("17.04", "2018-01-13"),
            ("zesty", "2018-01-13"),
            ("17.10", "2018-07-19"),
            ("artful", "2018-07-19"),
            ("18.04", "2023-05-31"),
            ("bionic", "2023-05-31"),
            ("18.10", "2019-07-18"),
            ("cosmic", "2019-07-18"),
            ("19.04", "2020-01-23"),
            ("disco", "2020-01-23"),
            ("19.10", "2020-07-17"),
            ("eoan", "2020-07-17"),
            ("20.04", "2025-05-31"),
            ("focal", "2025-05-31"),
            ("20.10", "2021-07-22"),
            ("groovy", "2021-07-22"),
            ("21.04", "2022-01-20"),
            ("hirsute", "2022-01-20"),
            ("21.10", "2022-07-14"),
            ("impish", "2022-07-14"),
            ("22.04", "2027-06-01"),
            ("jammy", "2027-06-01"),
            ("22.10", "2023-07-20"),
            ("kinetic", "2023-07-20"),
            ("23.04", "2024-01-25"),
            ("lunar", "2024-01-25"),
            ("23.10", "2024-07-11"),
            ("mantic", "2024-07-11"),
            ("24.04", "2029-05-31"),
            ("noble", "2029-05-31"),
            ("24.10", "2025-07-10"),
            ("oracular", "2025-07-10"),
            ("25.04", "2026-01-31"),
            ("plucky", "2026-01-31"),
            ("25.10", "2026-07-31"),
            ("questing", "2026-07-31"),
        ],
        distro_suffix: false,
    },
    Product {
        name: "Alpine Linux",
        images: &["alpine"],
        source: "https://alpinelinux.org/releases/ (https://endoflife.date/alpine-linux)",
        checked: EOLDATE,
        cycles: &[
            ("3.4", "2018-05-01"),
            ("3.5", "2018-11-01"),
            ("3.6", "2019-05-01"),
            ("3.7", "2019-11-01"),
            ("3.8", "2020-05-01"),
            ("3.9", "2021-01-01"),
            ("3.10", "2021-05-01"),
            ("3.11", "2021-11-01"),
            ("3.12", "2022-05-01"),
            ("3.13", "2022-11-01"),
            ("3.14", "2023-05-01"),
            ("3.15", "2023-11-01"),
            ("3.16", "2024-05-23"),
            ("3.17", "2024-11-22"),
            ("3.18", "2025-05-09"),
            ("3.19", "2025-11-01"),
            ("3.20", "2026-04-01"),
            ("3.21", "2026-11-01"),
            ("3.22", "2027-05-01"),
        ],
        distro_suffix: false,
    },
    Product {
        name: "CentOS",
        images: &["centos", "quay.io/centos/centos"],
        source: "https://www.centos.org/centos-linux-eol/ (https://endoflife.date/centos)",
        checked: EOLDATE,
        cycles: &[
            ("6", "2020-11-30"),
            ("centos6", "2020-11-30"),
            ("7", "2024-06-30"),
            ("centos7", "2024-06-30"),
            ("8", "2021-12-31"),
            ("centos8", "2021-12-31"),
            ("stream8", "2024-05-31"),
            ("stream9", "2027-05-31"),
        ],
        distro_suffix: false,
    },
    Product {
        name: "Rocky Linux",
        images: &["rockylinux", "rockylinux/rockylinux", "quay.io/rockylinux/rockylinux"],
        source: "https://wiki.rockylinux.org/rocky/version/ (https://endoflife.date/rocky-linux)",
        checked: EOLDATE,
        cycles: &[("8", "2029-05-31"), ("9", "2032-05-31")],
        distro_suffix: false,
    },
    Product {
        name: "AlmaLinux",
        images: &["almalinux", "quay.io/almalinuxorg/almalinux"],
        source: "https://wiki.almalinux.org/release-notes/ (https://endoflife.date/almalinux)",
        checked: EOLDATE,
        cycles: &[("8", "2029-03-01"), ("9", "2032-05-31")],
        distro_suffix: false,
    },
    Product {
        name: "Amazon Linux",
        images: &["amazonlinux", "public.ecr.aws/amazonlinux/amazonlinux"],
        source: "https://aws.amazon.com/amazon-linux-2/faqs/ (https://endoflife.date/amazon-linux)",
        checked: EOLDATE,
        cycles: &[("1", "2023-12-31"), ("2018.03", "2023-12-31"), ("2", "2026-06-30"), ("2023", "2029-06-30")],
        distro_suffix: false,
    },
];

/// Tag parts that name the distribution an official image is built on:
/// `(part, product, cycle)`; `alpineX.Y` and `ubuntuX.Y` are read apart.
static DISTRO_PARTS: &[(&str, &str, &str)] = &[
    ("wheezy", "Debian", "wheezy"),
    ("jessie", "Debian", "jessie"),
    ("stretch", "Debian", "stretch"),
    ("buster", "Debian", "buster"),
    ("bullseye", "Debian", "bullseye"),
    ("bookworm", "Debian", "bookworm"),
    ("trusty", "Ubuntu", "trusty"),
    ("xenial", "Ubuntu", "xenial"),
    ("bionic", "Ubuntu", "bionic"),
    ("focal", "Ubuntu", "focal"),
    ("jammy", "Ubuntu", "jammy"),
    ("noble", "Ubuntu", "noble"),
    ("centos6", "CentOS", "6"),
    ("centos7", "CentOS", "7"),
    ("centos8", "CentOS", "8"),
];

/// One end of life that applies to an image.
#[derive(Debug, Clone)]
pub struct EndOfLife {
    pub product: &'static Product,
    /// The cycle as the table names it (`3.7`, `buster`).
    pub cycle: &'static str,
    pub date: Date,
    /// True when a later part of the tag named it (`-buster`), not the image.
    pub via_tag_suffix: bool,
}

impl EndOfLife {
    /// `Python 3.7`, `Debian buster`.
    pub fn label(&self) -> String {
        format!("{} {}", self.product.name, self.cycle)
    }
}

/// The repository as Docker Hub names it (`python`, `nvidia/cuda`), or the
/// full name for another registry (`mcr.microsoft.com/dotnet/sdk`), lower case.
pub fn canonical_name(image: &ImageRef) -> String {
    let repo = image.repository.to_ascii_lowercase();
    match image.registry.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io") => {
            repo.strip_prefix("library/").unwrap_or(&repo).to_string()
        }
        Some("public.ecr.aws") if repo.starts_with("docker/library/") => repo["docker/library/".len()..].to_string(),
        Some("mirror.gcr.io") if repo.starts_with("library/") => repo["library/".len()..].to_string(),
        Some(reg) => format!("{reg}/{repo}"),
    }
}

/// A Docker Hub official image (`python`, not `bitnami/python`).
fn is_official(name: &str) -> bool {
    !name.contains('/')
}

/// The product an image name belongs to.
pub fn product_of(name: &str) -> Option<&'static Product> {
    PRODUCTS.iter().find(|p| p.images.contains(&name))
}

fn product_named(name: &str) -> Option<&'static Product> {
    PRODUCTS.iter().find(|p| p.name == name)
}

/// Whether tag part `part` is release cycle `cycle`: a code name equal to it,
/// or a version whose numbers start with the cycle's.
fn is_cycle(part: &str, cycle: &str) -> bool {
    if !cycle.starts_with(|c: char| c.is_ascii_digit()) {
        return part.eq_ignore_ascii_case(cycle);
    }
    let mut have = part.split('.');
    for want in cycle.split('.') {
        match have.next() {
            Some(h) if h == want => {}
            // `8u342` is Java 8: a number followed by letters ends the comparison.
            Some(h) if h.starts_with(want) && h[want.len()..].starts_with(|c: char| c.is_ascii_alphabetic()) => {
                return true;
            }
            _ => return false,
        }
    }
    true
}

fn cycle_of(product: &'static Product, part: &str) -> Option<(&'static str, Date)> {
    product.cycles.iter().find(|(c, _)| is_cycle(part, c)).and_then(|(c, d)| Some((*c, Date::parse(d)?)))
}

/// Every end of life the table knows for this image reference (the image's
/// own version first, then the distribution its tag names). Nothing for an
/// image without a tag, a tag with a variable, or an unknown image.
pub fn end_of_life(image: &ImageRef) -> Vec<EndOfLife> {
    let mut out = Vec::new();
    let Some(tag) = image.tag.as_deref() else { return out };
    if tag.contains('$') || tag.is_empty() {
        return out;
    }
    let name = canonical_name(image);
    let product = product_of(&name);
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or_default();
    if let Some(p) = product
        && let Some((cycle, date)) = cycle_of(p, first)
    {
        out.push(EndOfLife { product: p, cycle, date, via_tag_suffix: false });
    }
    let suffix_applies = product.map_or(is_official(&name) || is_cuda(&name), |p| p.distro_suffix);
    if suffix_applies {
        let rest: Vec<&str> = if product.is_some() { parts.collect() } else { tag.split('-').collect() };
        for part in rest {
            if let Some(eol) = distro_part(part) {
                out.push(eol);
                break;
            }
        }
    }
    out
}

/// `buster`, `alpine3.12`, `ubuntu18.04`, `centos7` as a distribution cycle.
fn distro_part(part: &str) -> Option<EndOfLife> {
    let lower = part.to_ascii_lowercase();
    let (product, cycle_part) = if let Some(v) = lower.strip_prefix("alpine").filter(|v| !v.is_empty()) {
        (product_named("Alpine Linux")?, v.to_string())
    } else if let Some(v) = lower.strip_prefix("ubuntu").filter(|v| !v.is_empty()) {
        (product_named("Ubuntu")?, v.to_string())
    } else {
        let (_, p, c) = DISTRO_PARTS.iter().find(|(t, _, _)| *t == lower)?;
        (product_named(p)?, c.to_string())
    };
    let (cycle, date) =
        product.cycles.iter().find(|(c, _)| *c == cycle_part).and_then(|(c, d)| Some((*c, Date::parse(d)?)))?;
    Some(EndOfLife { product, cycle, date, via_tag_suffix: true })
}

/// NVIDIA's CUDA images (Docker Hub and NGC).
pub fn is_cuda(name: &str) -> bool {
    matches!(name, "nvidia/cuda" | "nvcr.io/nvidia/cuda")
}

/// How a deprecated image's tag becomes its successor's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagMap {
    /// The successor publishes the same tags.
    Same,
    /// A Java image: the major version, `-jdk`/`-jre`, `-alpine`.
    Java,
    /// CentOS 8 → the successor's 8, anything else → its 9.
    Centos,
    /// No automatic replacement: the successor's tags differ.
    None,
}

/// A deprecated image.
#[derive(Debug)]
pub struct Deprecated {
    /// Image names (compared like [`Product::images`]); a name ending in `/`
    /// covers the whole namespace.
    pub images: &'static [&'static str],
    /// The replacement, as an image name.
    pub successor: &'static str,
    /// One sentence: what happened.
    pub why: &'static str,
    pub tags: TagMap,
    pub source: &'static str,
    pub checked: &'static str,
}

pub static DEPRECATED: &[Deprecated] = &[
    Deprecated {
        images: &["openjdk"],
        successor: "eclipse-temurin",
        why: "the `openjdk` image is deprecated: it was only updated for early-access builds since July 2022, and its maintainers point to other OpenJDK distributions (eclipse-temurin, amazoncorretto, ibm-semeru-runtimes, sapmachine)",
        tags: TagMap::Java,
        source: "https://hub.docker.com/_/openjdk",
        checked: EOLDATE,
    },
    Deprecated {
        images: &["java"],
        successor: "eclipse-temurin",
        why: "the `java` image was deprecated in 2017 in favour of `openjdk`, itself deprecated since",
        tags: TagMap::Java,
        source: "https://hub.docker.com/_/java",
        checked: EOLDATE,
    },
    Deprecated {
        images: &["adoptopenjdk", "adoptopenjdk/openjdk8", "adoptopenjdk/openjdk11", "adoptopenjdk/openjdk17"],
        successor: "eclipse-temurin",
        why: "AdoptOpenJDK moved to the Eclipse Foundation as Adoptium in 2021; its images are no longer updated and the HotSpot builds continue as `eclipse-temurin`",
        tags: TagMap::Java,
        source: "https://hub.docker.com/_/adoptopenjdk",
        checked: EOLDATE,
    },
    Deprecated {
        images: &["centos"],
        successor: "almalinux",
        why: "the `centos` image is deprecated: CentOS Linux ended (8 in 2021, 7 in 2024) and the image gets no updates; its binary-compatible successors are `almalinux` and `rockylinux`",
        tags: TagMap::Centos,
        source: "https://hub.docker.com/_/centos",
        checked: EOLDATE,
    },
    Deprecated {
        images: &["jenkins"],
        successor: "jenkins/jenkins",
        why: "the `jenkins` official image is deprecated; Jenkins publishes `jenkins/jenkins`",
        tags: TagMap::Same,
        source: "https://hub.docker.com/_/jenkins",
        checked: EOLDATE,
    },
    Deprecated {
        images: &["consul"],
        successor: "hashicorp/consul",
        why: "the `consul` official image is deprecated; HashiCorp publishes new releases only as `hashicorp/consul`",
        tags: TagMap::Same,
        source: "https://hub.docker.com/_/consul",
        checked: EOLDATE,
    },
    Deprecated {
        images: &["vault"],
        successor: "hashicorp/vault",
        why: "the `vault` official image is deprecated; HashiCorp publishes new releases (1.14 on) only as `hashicorp/vault`",
        tags: TagMap::Same,
        source: "https://hub.docker.com/_/vault",
        checked: EOLDATE,
    },
    Deprecated {
        images: &["iojs"],
        successor: "node",
        why: "io.js merged back into Node.js in 2015; the `iojs` image is deprecated",
        tags: TagMap::None,
        source: "https://hub.docker.com/_/iojs",
        checked: EOLDATE,
    },
    Deprecated {
        images: &["django"],
        successor: "python",
        why: "the `django` image is deprecated; install Django with pip on the `python` image",
        tags: TagMap::None,
        source: "https://hub.docker.com/_/django",
        checked: EOLDATE,
    },
    Deprecated {
        images: &["rails"],
        successor: "ruby",
        why: "the `rails` image is deprecated; install Rails with gem on the `ruby` image",
        tags: TagMap::None,
        source: "https://hub.docker.com/_/rails",
        checked: EOLDATE,
    },
    Deprecated {
        images: &["celery"],
        successor: "python",
        why: "the `celery` image is deprecated; install Celery with pip on the `python` image",
        tags: TagMap::None,
        source: "https://hub.docker.com/_/celery",
        checked: EOLDATE,
    },
    Deprecated {
        images: &["microsoft/dotnet", "microsoft/aspnetcore", "microsoft/aspnetcore-build"],
        successor: "mcr.microsoft.com/dotnet/sdk",
        why: "Microsoft moved its .NET images from Docker Hub to mcr.microsoft.com in 2019 (`mcr.microsoft.com/dotnet/sdk`, `/aspnet`, `/runtime`); the Docker Hub repositories get no updates",
        tags: TagMap::None,
        source: "https://hub.docker.com/r/microsoft/dotnet",
        checked: EOLDATE,
    },
    Deprecated {
        images: &["microsoft/mssql-server-linux"],
        successor: "mcr.microsoft.com/mssql/server",
        why: "Microsoft moved the SQL Server image to `mcr.microsoft.com/mssql/server`; the Docker Hub repository gets no updates",
        tags: TagMap::Same,
        source: "https://hub.docker.com/r/microsoft/mssql-server-linux",
        checked: EOLDATE,
    },
    Deprecated {
        images: &["bitnami/"],
        successor: "bitnamilegacy/",
        why: "Bitnami stopped publishing its free versioned images in `docker.io/bitnami` in September 2025: existing tags moved to `docker.io/bitnamilegacy`, which gets no updates, and `bitnami/` keeps only a few `latest` tags; the legacy copy is a stopgap until you move to a maintained image",
        tags: TagMap::None,
        source: "https://github.com/bitnami/containers#readme",
        checked: EOLDATE,
    },
];

/// The deprecation that covers this image, if any.
pub fn deprecated(image: &ImageRef) -> Option<&'static Deprecated> {
    let name = canonical_name(image);
    DEPRECATED.iter().find(|d| {
        d.images.iter().any(|i| match i.strip_suffix('/') {
            Some(ns) => name.strip_prefix(ns).is_some_and(|rest| rest.starts_with('/')),
            None => *i == name,
        })
    })
}

/// What to use instead, for messages: the successor with the mapped tag, or
/// its name (`bitnamilegacy/postgresql:15` for a namespace that moved).
pub fn successor_text(d: &Deprecated, image: &ImageRef) -> String {
    if let Some(r) = successor_ref(d, image.tag.as_deref()) {
        return r;
    }
    match d.successor.strip_suffix('/') {
        Some(ns) => {
            let name = canonical_name(image);
            let rest = name.rsplit('/').next().unwrap_or(&name);
            let tag = image.tag.as_deref().map(|t| format!(":{t}")).unwrap_or_default();
            format!("{ns}/{rest}{tag}")
        }
        None => d.successor.to_string(),
    }
}

/// The successor image reference for a deprecated image with this tag
/// (`None` when the tag does not map plainly).
pub fn successor_ref(d: &Deprecated, tag: Option<&str>) -> Option<String> {
    let tag = tag.unwrap_or("latest");
    if tag.contains('$') {
        return None;
    }
    let new_tag = match d.tags {
        TagMap::None => return None,
        TagMap::Same => tag.to_string(),
        TagMap::Centos => {
            let t = tag.to_ascii_lowercase();
            if t == "8" || t.starts_with("8.") || t == "centos8" || t.starts_with("centos8.") { "8" } else { "9" }
                .to_string()
        }
        TagMap::Java => java_tag(tag)?,
    };
    Some(format!("{}:{new_tag}", d.successor))
}

/// `11-jre-slim` → `11-jre`, `8u342-jdk-alpine` → `8-jdk-alpine`,
/// `openjdk-8-jre` → `8-jre`, `17` → `17`; other shapes → `None`.
fn java_tag(tag: &str) -> Option<String> {
    let t = tag.to_ascii_lowercase();
    let t = t.strip_prefix("openjdk-").unwrap_or(&t);
    let mut parts = t.split('-');
    let first = parts.next()?;
    let major: String = first.chars().take_while(|c| c.is_ascii_digit()).collect();
    let after = &first[major.len()..];
    // `8u342`, `11.0.16`, `17`: anything else in the first part is not a version.
    if major.is_empty() || !(after.is_empty() || after.starts_with('u') || after.starts_with('.')) {
        return None;
    }
    if !matches!(major.as_str(), "8" | "11" | "17" | "21" | "25") {
        return None;
    }
    let mut out = major;
    for p in parts {
        match p {
            "jdk" | "jre" => out = format!("{out}-{p}"),
            "alpine" => out += "-alpine",
            "slim" | "buster" | "bullseye" | "bookworm" | "hotspot" | "focal" | "jammy" => {}
            _ => return None,
        }
    }
    Some(out)
}

/// The platforms an image publishes, for images that publish fewer than the
/// usual set (amd64 and arm64 at least).
#[derive(Debug)]
pub struct ImagePlatforms {
    pub images: &'static [&'static str],
    /// Only tags that contain one of these parts (empty: every tag).
    pub tags_with: &'static [&'static str],
    /// Only tags whose version starts with one of these (empty: every tag).
    pub versions: &'static [&'static str],
    pub platforms: &'static [&'static str],
    pub note: &'static str,
    pub source: &'static str,
    pub checked: &'static str,
}

pub static IMAGE_PLATFORMS: &[ImagePlatforms] = &[
    ImagePlatforms {
        images: &["pytorch/pytorch"],
        tags_with: &[],
        versions: &[],
        platforms: &["linux/amd64"],
        note: "on Jetson use NVIDIA's L4T PyTorch containers (nvcr.io/nvidia/l4t-pytorch, or the JetPack builds of dusty-nv/jetson-containers); on arm64 servers, `pip install torch` on a Python base",
        source: "https://hub.docker.com/r/pytorch/pytorch/tags",
        checked: EOLDATE,
    },
    ImagePlatforms {
        images: &["tensorflow/tensorflow"],
        tags_with: &["gpu"],
        versions: &[],
        platforms: &["linux/amd64"],
        note: "on Jetson use NVIDIA's L4T TensorFlow containers (nvcr.io/nvidia/l4t-tensorflow)",
        source: "https://hub.docker.com/r/tensorflow/tensorflow/tags",
        checked: EOLDATE,
    },
    ImagePlatforms {
        images: &["mcr.microsoft.com/mssql/server", "microsoft/mssql-server-linux"],
        tags_with: &[],
        versions: &[],
        platforms: &["linux/amd64"],
        note: "SQL Server for Linux runs on x86-64 only; Azure SQL Edge was the arm64 option and is retired",
        source: "https://learn.microsoft.com/sql/linux/quickstart-install-connect-docker",
        checked: EOLDATE,
    },
    ImagePlatforms {
        images: &["mysql"],
        tags_with: &[],
        versions: &["5.5", "5.6", "5.7"],
        platforms: &["linux/amd64"],
        note: "MySQL 8.0 and later images publish linux/arm64",
        source: "https://hub.docker.com/_/mysql/tags",
        checked: EOLDATE,
    },
    ImagePlatforms {
        images: &["selenium/standalone-chrome", "selenium/node-chrome"],
        tags_with: &[],
        versions: &[],
        platforms: &["linux/amd64"],
        note: "Google Chrome has no Linux arm64 build; use `selenium/standalone-chromium`, which is multi-platform",
        source: "https://github.com/SeleniumHQ/docker-selenium#experimental-multi-arch-amd64aarch64armhf-images",
        checked: EOLDATE,
    },
    ImagePlatforms {
        images: &[
            "nvcr.io/nvidia/l4t-base",
            "nvcr.io/nvidia/l4t-cuda",
            "nvcr.io/nvidia/l4t-jetpack",
            "nvcr.io/nvidia/l4t-pytorch",
            "nvcr.io/nvidia/l4t-tensorflow",
            "nvcr.io/nvidia/l4t-ml",
        ],
        tags_with: &[],
        versions: &[],
        platforms: &["linux/arm64"],
        note: "L4T images are for NVIDIA Jetson (arm64) only",
        source: "https://catalog.ngc.nvidia.com/orgs/nvidia/containers/l4t-jetpack",
        checked: EOLDATE,
    },
    ImagePlatforms {
        images: &["intel/oneapi-basekit", "intel/oneapi-hpckit", "intel/oneapi-runtime"],
        tags_with: &[],
        versions: &[],
        platforms: &["linux/amd64"],
        note: "Intel oneAPI images are built for x86-64 only",
        source: "https://hub.docker.com/r/intel/oneapi-basekit/tags",
        checked: EOLDATE,
    },
    ImagePlatforms {
        images: &["amazonlinux", "public.ecr.aws/amazonlinux/amazonlinux"],
        tags_with: &[],
        versions: &[],
        platforms: &["linux/amd64", "linux/arm64"],
        note: "",
        source: "https://hub.docker.com/_/amazonlinux",
        checked: EOLDATE,
    },
    ImagePlatforms {
        images: &["nvidia/cuda", "nvcr.io/nvidia/cuda"],
        tags_with: &[],
        versions: &[],
        platforms: &["linux/amd64", "linux/arm64", "linux/ppc64le"],
        note: "the arm64 variants are for Arm servers with discrete GPUs (SBSA), not Jetson",
        source: "https://hub.docker.com/r/nvidia/cuda",
        checked: EOLDATE,
    },
];

/// The platforms the table knows this image publishes (`None`: unknown,
/// assume the usual multi-platform set).
pub fn platforms_of(image: &ImageRef) -> Option<&'static ImagePlatforms> {
    let name = canonical_name(image);
    let tag = image.tag.as_deref().unwrap_or("latest").to_ascii_lowercase();
    if tag.contains('$') {
        return None;
    }
    IMAGE_PLATFORMS.iter().find(|p| {
        p.images.contains(&name.as_str())
            && (p.tags_with.is_empty() || tag.split(['-', '_', '.']).any(|part| p.tags_with.contains(&part)))
            && (p.versions.is_empty() || p.versions.iter().any(|v| is_cycle(tag.split('-').next().unwrap_or(""), v)))
    })
}

/// The day end-of-life dates are compared with: the configured `as-of`, else
/// the day the table was compiled (the front ends pass today).
pub fn as_of(settings: &crate::engine::Settings) -> Date {
    settings.as_of.as_deref().and_then(Date::parse).or_else(|| Date::parse(COMPILED)).expect("COMPILED is a date")
}

/// How many days ahead an end of life is reported (default 90).
pub fn warning_days(settings: &crate::engine::Settings) -> i64 {
    i64::from(settings.eol_warning_days.unwrap_or(90))
}

/// The finding on an image whose version has ended or ends within the
/// warning window: the message and whether it has ended already.
pub fn judge(image: &ImageRef, settings: &crate::engine::Settings) -> Option<(String, bool)> {
    let today = as_of(settings);
    let window = warning_days(settings);
    let hits: Vec<EndOfLife> =
        end_of_life(image).into_iter().filter(|e| e.date.days() - today.days() <= window).collect();
    if hits.is_empty() {
        return None;
    }
    let ended = hits.iter().any(|e| e.date <= today);
    let parts: Vec<String> = hits
        .iter()
        .map(|e| {
            let n = e.date.days() - today.days();
            let what = if e.via_tag_suffix { format!("its base {}", e.label()) } else { e.label() };
            let source = e.product.source.split(' ').next().unwrap_or(e.product.source);
            if n <= 0 {
                format!("{what} reached its end of life on {} ({source})", e.date)
            } else {
                format!(
                    "{what} reaches its end of life on {}, in {n} day{} ({source})",
                    e.date,
                    if n == 1 { "" } else { "s" }
                )
            }
        })
        .collect();
    let advice = if ended {
        "it gets no security fixes; move to a supported version"
    } else {
        "plan the move to a supported version"
    };
    Some((format!("{}; {advice}", parts.join("; ")), ended))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eol(s: &str) -> Vec<String> {
        end_of_life(&ImageRef::parse(s)).iter().map(|e| format!("{} {}", e.label(), e.date)).collect()
    }

    #[test]
    fn dates() {
        let d = Date::parse("2024-02-29").unwrap();
        assert_eq!(Date::from_days(d.days()), d);
        assert_eq!(Date::parse("1970-01-01").unwrap().days(), 0);
        assert_eq!(Date::parse("2026-12-06").unwrap().days() - Date::parse("2026-10-31").unwrap().days(), 36);
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2023-13-01").is_none());
        assert!(Date::parse("20230101").is_none());
        assert_eq!(d.to_string(), "2024-02-29");
    }

    #[test]
    fn every_entry_is_dated_and_sourced() {
        assert!(Date::parse(COMPILED).is_some());
        for p in PRODUCTS {
            assert!(p.source.starts_with("https://"), "{}", p.name);
            assert!(Date::parse(p.checked).is_some(), "{}", p.name);
            for (c, d) in p.cycles {
                assert!(Date::parse(d).is_some(), "{} {c}: {d}", p.name);
            }
        }
        for d in DEPRECATED {
            assert!(d.source.starts_with("https://") && Date::parse(d.checked).is_some(), "{:?}", d.images);
        }
        for p in IMAGE_PLATFORMS {
            assert!(p.source.starts_with("https://") && Date::parse(p.checked).is_some(), "{:?}", p.images);
        }
        for (_, p, c) in DISTRO_PARTS {
            assert!(product_named(p).is_some_and(|p| p.cycles.iter().any(|(x, _)| x == c)), "{p} {c}");
        }
    }

    #[test]
    fn versions_in_tags() {
        assert_eq!(eol("python:3.7-slim"), ["Python 3.7 2023-06-27"]);
        assert_eq!(eol("python:3.7.12-slim-buster"), ["Python 3.7 2023-06-27", "Debian buster 2024-06-30"]);
        assert_eq!(eol("docker.io/library/python:3.10"), ["Python 3.10 2026-10-31"]);
        assert_eq!(
            eol("public.ecr.aws/docker/library/node:16-alpine3.15"),
            ["Node.js 16 2023-09-11", "Alpine Linux 3.15 2023-11-01"]
        );
        assert_eq!(eol("node:gallium"), ["Node.js gallium 2023-09-11"]);
        assert!(eol("python:3").is_empty());
        assert!(eol("python:3.70").is_empty());
        assert!(eol("python").is_empty());
        assert!(eol("python:${PY}").is_empty());
        assert!(eol("myorg/python:3.7").is_empty());
        assert_eq!(eol("mariadb:10.11"), ["MariaDB 10.11 2028-02-16"]);
        assert_eq!(eol("mariadb:10.1").len(), 0);
        assert_eq!(eol("debian:buster-slim"), ["Debian buster 2024-06-30"]);
        assert_eq!(eol("ubuntu:18.04"), ["Ubuntu 18.04 2023-05-31"]);
        assert_eq!(eol("nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu18.04"), ["Ubuntu 18.04 2023-05-31"]);
        assert_eq!(
            eol("mcr.microsoft.com/dotnet/sdk:6.0.400-bullseye-slim"),
            [".NET 6.0 2024-11-12", "Debian bullseye 2026-08-31"]
        );
        assert_eq!(eol("amazonlinux:2018.03"), ["Amazon Linux 2018.03 2023-12-31"]);
        assert!(eol("amazonlinux:2023").iter().all(|e| e.contains("2029")));
        // Tags of private images never name a distribution berth would trust.
        assert!(eol("example.com/team/app:1.0-buster").is_empty());
        assert_eq!(eol("nginx:1.21-bullseye"), ["Debian bullseye 2026-08-31"]);
    }

    #[test]
    fn deprecated_images_and_successors() {
        let s = |r: &str| {
            let i = ImageRef::parse(r);
            deprecated(&i).and_then(|d| successor_ref(d, i.tag.as_deref()))
        };
        assert_eq!(s("openjdk:11-jre-slim").as_deref(), Some("eclipse-temurin:11-jre"));
        assert_eq!(s("openjdk:8u342-jdk-alpine").as_deref(), Some("eclipse-temurin:8-jdk-alpine"));
        assert_eq!(s("openjdk:17").as_deref(), Some("eclipse-temurin:17"));
        assert_eq!(s("openjdk:19-ea-windowsservercore"), None);
        assert_eq!(s("centos:7").as_deref(), Some("almalinux:9"));
        assert_eq!(s("centos:8.3.2011").as_deref(), Some("almalinux:8"));
        assert_eq!(s("jenkins:lts").as_deref(), Some("jenkins/jenkins:lts"));
        assert!(deprecated(&ImageRef::parse("bitnami/postgresql:15")).is_some());
        assert!(deprecated(&ImageRef::parse("bitnamilegacy/postgresql:15")).is_none());
        assert!(deprecated(&ImageRef::parse("eclipse-temurin:17")).is_none());
        assert!(deprecated(&ImageRef::parse("example.com/openjdk:17")).is_none());
    }

    #[test]
    fn narrow_platforms() {
        let p = |r: &str| platforms_of(&ImageRef::parse(r)).map(|p| p.platforms.to_vec());
        assert_eq!(p("pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime"), Some(vec!["linux/amd64"]));
        assert_eq!(p("tensorflow/tensorflow:2.15.0-gpu"), Some(vec!["linux/amd64"]));
        assert_eq!(p("tensorflow/tensorflow:2.15.0"), None);
        assert_eq!(p("mysql:5.7"), Some(vec!["linux/amd64"]));
        assert_eq!(p("mysql:8.0"), None);
    }
}
