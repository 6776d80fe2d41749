// POSIX file helpers. Everything that touches the disk for the vault goes through here,
// so the durability rules (O_EXCL, 0600, fsync, rename, fsync of the directory) are in
// one place.
import Sodium

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

public enum FileIO {
  static func errnoText(_ what: String, _ path: String, _ code: Int32 = errno) -> String {
    "\(what) \(path): \(String(cString: strerror(code)))"
  }

  /// Directory part of a path ("." when there is none). Split at the last "/" byte, as
  /// the kernel does: a search by Character would step over a "/" that a combining mark
  /// follows, and cost ~4,600 instructions a call on the login path (bench/README.md).
  public static func directory(of path: String) -> String {
    let bytes = path.utf8
    guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "." }
    if slash == bytes.startIndex { return "/" }
    return String(decoding: bytes[..<slash], as: UTF8.self)
  }

  public static func fileName(of path: String) -> String {
    let bytes = path.utf8
    guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return path }
    return String(decoding: bytes[bytes.index(after: slash)...], as: UTF8.self)
  }

  public static func exists(_ path: String) -> Bool {
    var st = stat()
    return Syscalls.lstat(path, &st) == 0
  }

  /// The real target when `path` is a symlink, so writes replace the target and keep
  /// the link (renaming over a link would replace the link itself).
  public static func resolvingSymlink(_ path: String) -> String {
    var st = stat()
    guard Syscalls.lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK else { return path }
    guard let real = realpath(path, nil) else { return path }
    defer { free(real) }
    return String(cString: real)
  }

  /// Creates the directory and missing parents with mode 0700.
  public static func makeDirectories(_ path: String) throws {
    if path.isEmpty || path == "." || path == "/" { return }
    var st = stat()
    if Syscalls.stat(path, &st) == 0 {
      guard (st.st_mode & S_IFMT) == S_IFDIR else { throw VaultError.io("\(path) is not a directory") }
      return
    }
    try makeDirectories(directory(of: path))
    if Syscalls.mkdir(path, 0o700) != 0 && errno != EEXIST {
      throw VaultError.io(errnoText("cannot create directory", path))
    }
  }

  /// Opens a file that a user named (vault, key file, passphrase file, backup, import
  /// file) for reading, refusing anything but a regular file: a FIFO would block the
  /// open or the read forever, a device could be endless or have side effects, a
  /// directory is a mistake. Symlinks are followed (key files often live behind one).
  ///
  /// stat(2) first, so a device or FIFO is not even opened in the common case; then
  /// open with O_NONBLOCK (a FIFO swapped in since cannot block the open) and fstat(2)
  /// the descriptor, which is what counts; O_NONBLOCK is cleared again for the reads.
  /// Throws `notFound` (66) for a missing path, `notRegularFile` (65) for the rest.
  /// The caller closes the descriptor.
  public static func openRegularFile(_ path: String) throws -> Int32 {
    var st = stat()
    if Syscalls.stat(path, &st) == 0, let kind = nonRegularKind(st.st_mode) {
      throw VaultError.notRegularFile(path: path, kind: kind)
    }
    let fd = Syscalls.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
    guard fd >= 0 else {
      if errno == ENOENT || errno == ENOTDIR { throw VaultError.notFound(path) }
      throw VaultError.io(errnoText("cannot open", path))
    }
    guard Syscalls.fstat(fd, &st) == 0 else {
      let e = errno
      Syscalls.close(fd)
      throw VaultError.io(errnoText("cannot stat", path, e))
    }
    if let kind = nonRegularKind(st.st_mode) {
      Syscalls.close(fd)
      throw VaultError.notRegularFile(path: path, kind: kind)
    }
    let flags = Syscalls.fcntl(fd, F_GETFL)
    if flags >= 0 { _ = Syscalls.fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
    return fd
  }

  /// nil for a regular file, else what it is, for the message.
  static func nonRegularKind(_ mode: mode_t) -> String? {
    switch mode & S_IFMT {
    case S_IFREG: return nil
    case S_IFDIR: return "directory"
    case S_IFIFO: return "FIFO"
    case S_IFSOCK: return "socket"
    case S_IFCHR: return "character device"
    case S_IFBLK: return "block device"
    default: return "special file"
    }
  }

  /// Reads a whole (small) regular file (`openRegularFile`): key files, passphrase
  /// files, google-authenticator files. Past `limit` bytes: `inputTooLarge` (65).
  public static func readSmallFile(_ path: String, limit: Int = 1 << 20) throws -> [UInt8] {
    let fd = try openRegularFile(path)
    defer { Syscalls.close(fd) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = buf.withUnsafeMutableBytes { Syscalls.read(fd, $0.baseAddress, 4096) }
      if n < 0 {
        if errno == EINTR { continue }
        throw VaultError.io(errnoText("cannot read", path))
      }
      if n == 0 { break }
      out.append(contentsOf: buf[0..<n])
      if out.count > limit {
        Sodium.wipe(&out)
        Sodium.wipe(&buf)
        throw VaultError.inputTooLarge("\(path) is larger than \(limit) bytes")
      }
    }
    Sodium.wipe(&buf)
    return out
  }

  /// Writes all bytes to a file descriptor, retrying short writes.
  static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
    var done = 0
    while done < bytes.count {
      let n = Syscalls.write(fd, bytes.baseAddress! + done, bytes.count - done)
      if n < 0 {
        if errno == EINTR { continue }
        throw VaultError.io(errnoText("cannot write", path))
      }
      done += n
    }
  }

  /// Creates a new file that must not exist yet (O_EXCL, mode 0600), writes it, and
  /// fsyncs it and its directory. Used for key files and other outputs that are never
  /// overwritten. On failure nothing is left behind.
  public static func createExclusive(_ path: String, contents: [UInt8], mode: mode_t = 0o600) throws {
    let fd = Syscalls.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
    guard fd >= 0 else {
      if errno == EEXIST { throw VaultError.alreadyExists(path) }
      throw VaultError.io(errnoText("cannot create", path))
    }
    do {
      try contents.withUnsafeBytes { try writeAll(fd, $0, path: path) }
      guard Syscalls.fsync(fd) == 0 else { throw VaultError.io(errnoText("cannot sync", path)) }
      Syscalls.close(fd)
      try syncDirectory(of: path)
    } catch {
      Syscalls.close(fd)
      Syscalls.unlink(path)
      throw error
    }
  }

  public static func syncDirectory(of path: String) throws {
    let dir = directory(of: path)
    let fd = Syscalls.open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw VaultError.io(errnoText("cannot open directory", dir)) }
    defer { Syscalls.close(fd) }
    guard Syscalls.fsync(fd) == 0 else { throw VaultError.io(errnoText("cannot sync directory", dir)) }
  }

  /// Replaces `path` atomically: a temp file beside it (same name prefix), written by
  /// `body`, fsynced, renamed over the target, then the directory fsynced. A crash at any
  /// point leaves either the old or the new file. On error the temp file is removed.
  public static func replaceAtomically(
    _ path: String, mode: mode_t = 0o600, _ body: (_ out: AtomicOutput) throws -> Void
  ) throws {
    let rand = Sodium.randomHex(6)
    let tmp = "\(path).tmp-\(getpid())-\(rand)"
    let fd = Syscalls.open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
    guard fd >= 0 else { throw VaultError.io(errnoText("cannot create", tmp)) }
    var closed = false
    do {
      try body(AtomicOutput(fd: fd, path: tmp))
      guard Syscalls.fsync(fd) == 0 else { throw VaultError.io(errnoText("cannot sync", tmp)) }
      Syscalls.close(fd)
      closed = true
      guard Syscalls.rename(tmp, path) == 0 else { throw VaultError.io(errnoText("cannot replace", path)) }
      try syncDirectory(of: path)
    } catch {
      if !closed { Syscalls.close(fd) }
      Syscalls.unlink(tmp)
      throw error
    }
  }

  /// Removes temp files a crashed writer left beside `path`. Only safe while holding the
  /// exclusive lock: then no other process can be writing one. Scratch directories
  /// (`<vault>.tmp-<pid>-*/`, made by checks that may run without the lock) go only
  /// when their process is gone; staged files of a restore that never committed
  /// (`<vault>.restore-vault`, `-audit` without `<vault>.restore`) go too.
  public static func removeStaleTempFiles(for path: String) {
    let dir = directory(of: path)
    let prefix = fileName(of: path) + ".tmp-"
    let staged = [fileName(of: RestoreIntent.stagedVault(path)), fileName(of: RestoreIntent.stagedAudit(path))]
    var sawStaged = false
    for name in entries(of: dir) {
      if staged.contains(name) { sawStaged = true }
      guard name.hasPrefix(prefix) else { continue }
      let full = dir + "/" + name
      var st = stat()
      guard Syscalls.lstat(full, &st) == 0 else { continue }
      if (st.st_mode & S_IFMT) == S_IFDIR {
        if let pid = writerPID(name, after: prefix), isDead(pid) { removeScratchDirectory(full) }
      } else {
        Syscalls.unlink(full)
      }
    }
    if sawStaged && !RestoreIntent.isPending(path) {
      Syscalls.unlink(RestoreIntent.stagedVault(path))
      Syscalls.unlink(RestoreIntent.stagedAudit(path))
    }
  }

  /// Removes `<dir>/<prefix><pid>-*` directories of processes that are gone (scratch
  /// copies of a killed check), owned by this user.
  static func removeDeadWritersScratch(in dir: String, prefix: String) {
    for name in entries(of: dir) where name.hasPrefix(prefix) {
      guard let pid = writerPID(name, after: prefix), isDead(pid) else { continue }
      let full = dir + "/" + name
      var st = stat()
      guard Syscalls.lstat(full, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR, st.st_uid == getuid() else { continue }
      removeScratchDirectory(full)
    }
  }

  /// Removes regular files `<name>.tmp-<pid>-*` in `dir` left by processes that are
  /// gone, for the names `owns` accepts (a backup's temp files: no lock guards them).
  static func removeDeadWritersTempFiles(in dir: String, owns: (String) -> Bool) {
    let marker = Array(".tmp-".utf8)
    for name in entries(of: dir) {
      let b = Array(name.utf8)
      // The last ".tmp-" in the name: what precedes it is the file being written.
      guard b.count > marker.count,
        let at = (0...(b.count - marker.count)).last(where: { Array(b[$0..<($0 + marker.count)]) == marker }),
        let base = String(validating: b[0..<at], as: UTF8.self), owns(base),
        let pid = writerPID(name, after: base + ".tmp-"), isDead(pid)
      else { continue }
      let full = dir + "/" + name
      var st = stat()
      guard Syscalls.lstat(full, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_uid == getuid() else { continue }
      Syscalls.unlink(full)
    }
  }

  /// A scratch directory and the files in it (it holds no subdirectories).
  static func removeScratchDirectory(_ path: String) {
    for name in entries(of: path) { Syscalls.unlink(path + "/" + name) }
    Syscalls.rmdir(path)
  }

  /// The pid in `<prefix><pid>-...`.
  static func writerPID(_ name: String, after prefix: String) -> pid_t? {
    guard name.hasPrefix(prefix) else { return nil }
    let digits = name.dropFirst(prefix.count).prefix { $0.isASCII && $0.isNumber }
    guard !digits.isEmpty, digits.count <= 9, name.dropFirst(prefix.count + digits.count).first == "-",
      let pid = pid_t(digits), pid > 0
    else { return nil }
    return pid
  }

  /// The process is gone (a pid in use by another process counts as alive: its file
  /// stays until that process is gone too).
  static func isDead(_ pid: pid_t) -> Bool { kill(pid, 0) != 0 && errno == ESRCH }

  /// The names in a directory, without `.` and `..` (none when it cannot be read).
  static func entries(of dir: String) -> [String] {
    guard let d = opendir(dir) else { return [] }
    defer { closedir(d) }
    var out: [String] = []
    while let entry = readdir(d) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name != "." && name != ".." { out.append(name) }
    }
    return out
  }
}

/// Where `replaceAtomically` writes: the temp file, appended to in order.
public struct AtomicOutput {
  let fd: Int32
  let path: String

  public func write(_ bytes: UnsafeRawBufferPointer) throws {
    try FileIO.writeAll(fd, bytes, path: path)
  }

  /// Appends `length` bytes of `source` from `offset`, in the kernel when it can
  /// (sendfile(2) between files: no page faults on our side), else through the mapping.
  public func copy(from source: MappedFile, offset: Int, length: Int) throws {
    var inOffset = off_t(offset)
    var left = length
    while left > 0 {
      let n = Syscalls.sendfile(fd, source.fd, &inOffset, left)
      if n > 0 {
        left -= n
        continue
      }
      if n < 0 && errno == EINTR { continue }
      // Not supported here (or a short copy at EOF, which would be a bug): fall back.
      let done = length - left
      try write(UnsafeRawBufferPointer(rebasing: source.bytes[(offset + done)..<(offset + length)]))
      return
    }
  }
}

/// A read-only memory map of a whole file. The vault is read through this so a verify
/// touches only the pages it needs (header, index, one record).
public final class MappedFile {
  public let bytes: UnsafeRawBufferPointer
  private let base: UnsafeMutableRawPointer?
  private let length: Int
  public let device: UInt64
  public let inode: UInt64
  /// Kept open for in-kernel copies (AtomicOutput.copy).
  let fd: Int32

  /// Only a regular file (`FileIO.openRegularFile`): a FIFO is refused, not waited on.
  public init(path: String) throws {
    let fd = try FileIO.openRegularFile(path)
    self.fd = fd
    var ok = false
    defer { if !ok { Syscalls.close(fd) } }
    var st = stat()
    guard Syscalls.fstat(fd, &st) == 0 else { throw VaultError.io(FileIO.errnoText("cannot stat", path)) }
    device = UInt64(st.st_dev)
    inode = UInt64(st.st_ino)
    length = Int(st.st_size)
    if length == 0 {
      base = nil
      bytes = UnsafeRawBufferPointer(start: nil, count: 0)
      ok = true
      return
    }
    guard let p = Syscalls.mmap(length, PROT_READ, MAP_PRIVATE, fd) else {
      throw VaultError.io(FileIO.errnoText("cannot map", path))
    }
    base = p
    bytes = UnsafeRawBufferPointer(start: p, count: length)
    ok = true
  }

  deinit {
    if let base = base { Syscalls.munmap(base, length) }
    Syscalls.close(fd)
  }
}

/// Reads lines from a descriptor (stdin or a file from `FileIO.openRegularFile`) as a
/// stream, within limits, so bulk input (`users import uris`) never grows without
/// bound: a line longer than `maxLineBytes` or more than `maxTotalBytes` in all is
/// `inputTooLarge` (65) naming the limit and the line, and nothing more is read.
/// Lines are returned without "\n" (and a "\r" before it); the last line may lack
/// "\n". Consumed bytes are wiped from the buffer (the input may hold secrets).
public struct BoundedLineReader {
  /// "stdin" or the path, for messages.
  public let name: String
  public let maxLineBytes: Int
  public let maxTotalBytes: Int
  /// What the input is, for messages ("users import uris").
  public let purpose: String
  /// 1-based number of the line last returned.
  public private(set) var lineNumber = 0

  private let fd: Int32
  private var buffer: [UInt8] = []
  /// Where the unread part of `buffer` begins; the bytes before are consumed.
  private var start = 0
  private var total = 0
  private var atEnd = false
  static let chunk = 64 * 1024

  public init(fd: Int32, name: String, maxLineBytes: Int, maxTotalBytes: Int, purpose: String) {
    self.fd = fd
    self.name = name
    self.maxLineBytes = maxLineBytes
    self.maxTotalBytes = maxTotalBytes
    self.purpose = purpose
  }

  /// The next line, or nil at the end of input.
  public mutating func next() throws -> [UInt8]? {
    var searched = start
    while true {
      if let nl = buffer[searched...].firstIndex(of: 10) {
        return try take(upTo: nl, next: nl + 1)
      }
      searched = buffer.count
      // The line so far, without a "\r" that may yet be followed by "\n".
      if buffer.count - start - (buffer.last == 13 ? 1 : 0) > maxLineBytes { throw lineTooLong() }
      if atEnd {
        if start == buffer.count { return nil }
        return try take(upTo: buffer.count, next: buffer.count)
      }
      let before = start
      try fill()
      searched -= before - start  // fill may have dropped the consumed bytes
    }
  }

  /// Wipes what is left in the buffer (call when stopping early).
  public mutating func wipe() {
    Sodium.wipe(&buffer)
    buffer = []
    start = 0
  }

  private mutating func take(upTo end: Int, next: Int) throws -> [UInt8] {
    var line = Array(buffer[start..<end])
    if line.last == 13 { line.removeLast() }
    if line.count > maxLineBytes {
      Sodium.wipe(&line)
      throw lineTooLong()
    }
    start = next
    lineNumber += 1
    return line
  }

  private mutating func fill() throws {
    var chunk = [UInt8](repeating: 0, count: Self.chunk)
    defer { Sodium.wipe(&chunk) }
    while true {
      let n = chunk.withUnsafeMutableBytes { Syscalls.read(fd, $0.baseAddress, Self.chunk) }
      if n < 0 {
        if errno == EINTR { continue }
        throw VaultError.io(FileIO.errnoText("cannot read", name))
      }
      if n == 0 {
        atEnd = true
        return
      }
      total += n
      if total > maxTotalBytes {
        wipe()
        throw VaultError.inputTooLarge(
          "\(name): more than \(Self.size(maxTotalBytes)), the limit for \(purpose) (at line \(lineNumber + 1)); nothing was read further"
        )
      }
      // Drop (and wipe) the consumed bytes once per chunk, not once per line.
      for i in 0..<start { buffer[i] = 0 }
      buffer.removeFirst(start)
      start = 0
      buffer.append(contentsOf: chunk[0..<n])
      return
    }
  }

  private mutating func lineTooLong() -> VaultError {
    wipe()
    return VaultError.inputTooLarge(
      "\(name): line \(lineNumber + 1) is longer than \(Self.size(maxLineBytes)), the limit for \(purpose)")
  }

  /// "16 MiB", "8 KiB", "100 bytes".
  static func size(_ n: Int) -> String {
    if n >= 1 << 20 && n % (1 << 20) == 0 { return "\(n >> 20) MiB" }
    if n >= 1 << 10 && n % (1 << 10) == 0 { return "\(n >> 10) KiB" }
    return "\(n) bytes"
  }
}
