//! Files and folders Silta writes in the clear on the user's request (a referral opened at the
//! desk, a person's access export, a backup): readable by their owner only, whatever the umask,
//! and never written over.

use std::fs::{DirBuilder, File, OpenOptions};
use std::path::Path;

use crate::error::{Error, Result};

/// Creates the folder `dir` (its parent must exist), owner-only (0700 on Unix).
pub(crate) fn create_dir(dir: &Path) -> Result<()> {
    let mut builder = DirBuilder::new();
    owner_only(&mut builder);
    builder.create(dir).map_err(Error::io("create", dir))
}

/// Folders made by Silta are the owner's alone. On Unix the mode says so, whatever the umask.
#[cfg(unix)]
pub(crate) fn owner_only(builder: &mut DirBuilder) {
    std::os::unix::fs::DirBuilderExt::mode(builder, 0o700);
}

/// Windows has no mode bits: a folder inherits its parent's access list, and the vault's folder
/// (%APPDATA%, under the user's profile) and the places a person chooses in a dialog give access
/// to that user, SYSTEM and administrators only. Nothing to set here.
#[cfg(not(unix))]
pub(crate) fn owner_only(_builder: &mut DirBuilder) {}

/// Creates the file `path`, which must not exist yet, owner-only (0600 on Unix).
pub(crate) fn create_file(path: &Path) -> Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(Error::io("create", path))
}

/// Writes `bytes` to the new file `path`, owner-only, and syncs it.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut file = create_file(path)?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(Error::io("write", path))
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &std::path::Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn folders_and_files_are_the_owners_alone_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("out");
        super::create_dir(&folder).unwrap();
        let file = folder.join("a.json");
        super::write_file(&file, b"{}").unwrap();
        assert_eq!((mode(&folder), mode(&file)), (0o700, 0o600));
        assert!(super::write_file(&file, b"again").is_err());
        assert_eq!(std::fs::read(&file).unwrap(), b"{}");
    }
}
