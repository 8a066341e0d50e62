//! Reading a dataset's files: only ordinary files, within size limits.
//!
//! A dataset file that is a named pipe (FIFO), a device (or a link to one,
//! such as `/dev/zero`), a socket or a folder is an error naming it: reading
//! it could hang or never end. Each file is read in one piece, so its size
//! is limited, with advice for a larger one: [`TABLE`] for a table, [`NOTE`] for a note and
//! [`SETTINGS`] for `partnernet.toml`.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The largest size read for one kind of file, in bytes, and what to do
/// with a larger one (the end of the error's message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeLimit {
    pub bytes: u64,
    pub advice: &'static str,
}

/// A table (`organisations.csv`, `relations.csv`, …, or a workbook).
pub const TABLE: SizeLimit = SizeLimit {
    bytes: 1 << 30,
    advice: "split it into smaller datasets",
};
/// A note.
pub const NOTE: SizeLimit = SizeLimit {
    bytes: 16 << 20,
    advice: "split it into several notes, one per interview",
};
/// `partnernet.toml`.
pub const SETTINGS: SizeLimit = SizeLimit {
    bytes: 1 << 20,
    advice:
        "partnernet.toml holds settings only: start again from the one `partnernet init` writes",
};

/// The largest table read: 1 GiB.
pub const TABLE_LIMIT: u64 = TABLE.bytes;
/// The largest note read: 16 MiB.
pub const NOTE_LIMIT: u64 = NOTE.bytes;
/// The largest `partnernet.toml` read: 1 MiB.
pub const SETTINGS_LIMIT: u64 = SETTINGS.bytes;

/// Reads the whole file at `path` if it is an ordinary file (or a link to
/// one) of at most `limit.bytes` bytes.
///
/// # Errors
/// The error of opening or reading it; or, of kind
/// [`io::ErrorKind::InvalidInput`], a message saying what the file is
/// instead, or how large it is against the limit, and what to do. The
/// messages do not name the file: the caller's problem does.
pub fn read_ordinary(path: &Path, limit: SizeLimit) -> io::Result<Vec<u8>> {
    let (file, size) = open_ordinary(path, limit)?;
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit.bytes + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit.bytes {
        // It grew while it was read.
        return Err(too_large(bytes.len() as u64, limit));
    }
    Ok(bytes)
}

/// Checks that `path` is an ordinary file (or a link to one) of at most
/// `limit.bytes` bytes, for readers that open the file themselves (workbooks).
///
/// # Errors
/// As [`read_ordinary`].
pub fn check_ordinary(path: &Path, limit: SizeLimit) -> io::Result<()> {
    open_ordinary(path, limit).map(|_| ())
}

fn too_large(size: u64, limit: SizeLimit) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "it is {}, and partnernet reads files of up to {}; {}",
            megabytes(size),
            megabytes(limit.bytes),
            limit.advice
        ),
    )
}

/// Opens `path` if it is an ordinary file of at most `limit.bytes` bytes; returns
/// it with its size.
fn open_ordinary(path: &Path, limit: SizeLimit) -> io::Result<(File, u64)> {
    let mut options = File::options();
    options.read(true);
    // Opening a named pipe waits for a writer; without blocking it returns
    // at once, and the check below refuses it. Ordinary files ignore it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path)?;
    // The type of what was opened, not of what the path named a moment ago.
    let meta = file.metadata()?;
    if !meta.is_file() {
        let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "it is {}{}, not an ordinary file; partnernet reads only ordinary files. Put the file itself here",
                if link { "a link to " } else { "" },
                kind(&meta)
            ),
        ));
    }
    if meta.len() > limit.bytes {
        return Err(too_large(meta.len(), limit));
    }
    Ok((file, meta.len()))
}

/// What a file that is not an ordinary file is, in the staff's words.
fn kind(meta: &std::fs::Metadata) -> &'static str {
    if meta.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_files_are_read_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, b"id\n1\n").unwrap();
        let limit = |bytes| SizeLimit { bytes, ..TABLE };
        assert_eq!(read_ordinary(&path, limit(5)).unwrap(), b"id\n1\n");
        let e = read_ordinary(&path, limit(4)).unwrap_err();
        assert!(e.to_string().contains("up to 0.0 MB"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("organisations.csv");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let e = read_ordinary(&link, TABLE).unwrap_err();
        assert!(e.to_string().starts_with("it is a link to a device"), "{e}");
        let e = read_ordinary(dir.path(), TABLE).unwrap_err();
        assert!(e.to_string().starts_with("it is a folder"), "{e}");
    }
}
