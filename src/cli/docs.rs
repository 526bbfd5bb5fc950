//! Documents generated from the command definition and the scenario
//! tables: shell completions, man pages, the scenario JSON Schema.

use std::io::Write;
use std::path::Path;

/// The completion script of `shell` for `command`.
pub fn completions(mut command: clap::Command, shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "stabsim", &mut out);
    out
}

/// The man page of `command` (roff), with its subcommands listed.
pub fn man_page(command: clap::Command) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(command).render(&mut out)?;
    Ok(out)
}

/// Writes `stabsim.1` and one `stabsim-<subcommand>.1` per subcommand
/// into `dir` (created if needed); returns how many.
pub fn write_man_pages(command: clap::Command, dir: &Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    clap_mangen::generate_to(command.clone(), dir)?;
    let mut count = 0;
    for entry in std::fs::read_dir(dir)?.flatten() {
        if entry.path().extension().is_some_and(|x| x == "1") {
            count += 1;
        }
    }
    Ok(count)
}

/// The scenario JSON Schema, pretty-printed with a final newline.
pub fn schema() -> String {
    let mut text = serde_json::to_string_pretty(&stabsim::scenario::schema::scenario_schema())
        .unwrap_or_default();
    text.push('\n');
    text
}

/// Writes `bytes` to stdout; a closed pipe (`| head`) is not an error.
pub fn print_bytes(bytes: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
