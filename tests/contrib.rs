//! The systemd unit in `contrib/` is one systemd accepts (`systemd-analyze verify`), run
//! on a copy whose ExecStart is the binary just built.

mod common;

use std::process::Command;

#[test]
fn the_systemd_unit_verifies() {
    let analyze = Command::new("systemd-analyze").arg("--version").output();
    if analyze.is_err() {
        assert!(
            std::env::var("CI").is_err(),
            "systemd-analyze is needed under CI: apt-get install systemd"
        );
        eprintln!("skipped: systemd-analyze is not installed");
        return;
    }
    let unit = std::fs::read_to_string(common::root().join("contrib/casebook.service")).unwrap();
    assert!(unit.contains("ExecReload=/bin/kill -HUP $MAINPID"));
    for hardening in [
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ReadWritePaths=/var/lib/casebook",
        "User=casebook",
    ] {
        assert!(unit.contains(hardening), "{hardening}");
    }
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("casebook.service");
    std::fs::write(
        &copy,
        unit.replace("/usr/local/bin/casebook", env!("CARGO_BIN_EXE_casebook")),
    )
    .unwrap();
    let out = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(&copy)
        .output()
        .unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{report}");
    assert!(!report.contains("casebook.service:"), "{report}");
}
