// Backup directories: the names `backup create --dir` gives, listing them, and
// rotation by `--keep` (docs/FORMAT.md, "Backup directories").
import Sodium

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Backup {
  // MARK: Names and times

  /// `YYYYMMDDTHHMMSSZ` in UTC: file names that sort by time and need no quoting.
  public static func compactUTC(_ t: Int64) -> String { UTCTime.format(t, compact: true) }

  /// The name of a backup made at `t` in a backup directory. The second and later
  /// backups made within one second get `_002`, `_003`, ... up to `maxSequence`: `_`
  /// sorts after `.` and the counter is zero-padded, so names sort by time, then by
  /// order made, as text too (`ls`), and `list` and `rotate` order them the same way.
  public static func fileName(at t: Int64, sequence: Int = 1) -> String {
    precondition((1...maxSequence).contains(sequence))
    guard sequence > 1 else { return namePrefix + compactUTC(t) + nameSuffix }
    let n = String(sequence)
    return namePrefix + compactUTC(t) + "_" + String(repeating: "0", count: 3 - n.count) + n + nameSuffix
  }

  /// The most backups `backup create --dir` names within one second.
  public static let maxSequence = 999

  /// Whether a file name is one `list` shows and `--keep` may rotate.
  public static func isBackupName(_ name: String) -> Bool {
    name.hasPrefix(namePrefix) && name.hasSuffix(nameSuffix) && name.count > namePrefix.count + nameSuffix.count
  }

  // MARK: Backup directories

  /// A file in a backup directory.
  public struct Listed {
    public let name: String
    public let path: String
    public let size: Int
    /// From the file's plaintext start; nil when it does not start like a backup.
    public let created: Int64?
    /// The id of the vault it backs up, from its (checksummed) header; nil when that
    /// does not parse.
    public let vaultID: [UInt8]?
  }

  /// The regular files named `mfactl-backup-*.mfab` in `dir`, newest first (by the
  /// time inside, then by name; files that do not start like a backup last).
  public static func list(directory dir: String) throws -> [Listed] {
    guard let d = opendir(dir) else {
      if errno == ENOENT || errno == ENOTDIR { throw VaultError.notFound(dir) }
      throw VaultError.io(FileIO.errnoText("cannot read directory", dir))
    }
    defer { closedir(d) }
    var out: [Listed] = []
    while let entry = readdir(d) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      guard isBackupName(name) else { continue }
      let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
      var st = stat()
      guard Syscalls.lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
      out.append(
        Listed(
          name: name, path: path, size: Int(st.st_size), created: createdTime(path: path),
          vaultID: (try? peek(path: path))?.header.vaultID))
    }
    return out.sorted { a, b in
      switch (a.created, b.created) {
      case (let x?, let y?): return x != y ? x > y : a.name > b.name
      case (.some, nil): return true
      case (nil, .some): return false
      case (nil, nil): return a.name > b.name
      }
    }
  }

  /// Deletes the oldest backups of the vault `vaultID` in `dir` beyond the newest
  /// `keep`. Only regular files named `mfactl-backup-*.mfab` whose plaintext part
  /// parses and names that vault count, ordered by the time inside; nothing else is
  /// ever deleted (so several vaults can share a directory). Returns the paths removed
  /// and the ones that could not be.
  public static func rotate(directory dir: String, keep: Int, vaultID: [UInt8]) throws -> (
    removed: [String], failed: [String]
  ) {
    precondition(keep >= 1)
    let backups = try list(directory: dir).filter { $0.created != nil && $0.vaultID == vaultID }
    var removed: [String] = []
    var failed: [String] = []
    for old in backups.dropFirst(keep) {
      if Syscalls.unlink(old.path) == 0 { removed.append(old.path) } else { failed.append(old.path) }
    }
    if let first = removed.first { try? FileIO.syncDirectory(of: first) }
    return (removed, failed)
  }
}
