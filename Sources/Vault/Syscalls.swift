// Every system call the vault makes on files, in one place: `Syscalls.open(...)` and so
// on, each a plain forward to Glibc through `SyscallTable.current`. The table is the
// one seam where tests inject faults: a test (`@testable import Vault`) puts in a table
// whose calls fail, or one that simulates a crash by failing every call that would
// change the disk from a chosen call on (Tests/VaultTests/SimulatedCrash.swift). The
// release binary never replaces it, and nothing else in the vault knows about tests.
//
// Not in the table: reading directories (opendir/readdir), realpath, and process
// queries (getpid, getuid, kill), which change nothing on disk.
#if canImport(Glibc)
  import Glibc
#endif

/// The file system calls, as function values. `system` calls Glibc.
struct SyscallTable {
  var open: (_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32
  var close: (_ fd: Int32) -> Int32
  var read: (_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int
  var pread: (_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int, _ offset: off_t) -> Int
  var write: (_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int
  var pwrite: (_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int, _ offset: off_t) -> Int
  var sendfile: (_ out: Int32, _ in: Int32, _ offset: UnsafeMutablePointer<off_t>?, _ count: Int) -> Int
  var fsync: (_ fd: Int32) -> Int32
  var ftruncate: (_ fd: Int32, _ length: off_t) -> Int32
  var truncate: (_ path: String, _ length: off_t) -> Int32
  var rename: (_ from: String, _ to: String) -> Int32
  var link: (_ from: String, _ to: String) -> Int32
  var unlink: (_ path: String) -> Int32
  var mkdir: (_ path: String, _ mode: mode_t) -> Int32
  var rmdir: (_ path: String) -> Int32
  var stat: (_ path: String, _ result: UnsafeMutablePointer<Glibc.stat>) -> Int32
  var lstat: (_ path: String, _ result: UnsafeMutablePointer<Glibc.stat>) -> Int32
  var fstat: (_ fd: Int32, _ result: UnsafeMutablePointer<Glibc.stat>) -> Int32
  var flock: (_ fd: Int32, _ operation: Int32) -> Int32
  /// fcntl(2) with an int argument (F_GETFL, F_SETFL).
  var fcntl: (_ fd: Int32, _ command: Int32, _ argument: Int32) -> Int32
  /// fcntl(2) with a record-lock argument (F_OFD_GETLK, F_OFD_SETLK).
  var fcntlLock: (_ fd: Int32, _ command: Int32, _ lock: UnsafeMutablePointer<Glibc.flock>) -> Int32
  var mmap: (_ length: Int, _ protection: Int32, _ flags: Int32, _ fd: Int32) -> UnsafeMutableRawPointer?
  var munmap: (_ address: UnsafeMutableRawPointer, _ length: Int) -> Int32

  static let system = SyscallTable(
    open: { Glibc.open($0, $1, $2) },
    close: { Glibc.close($0) },
    read: { Glibc.read($0, $1, $2) },
    pread: { Glibc.pread($0, $1, $2, $3) },
    write: { Glibc.write($0, $1, $2) },
    pwrite: { Glibc.pwrite($0, $1, $2, $3) },
    sendfile: { Glibc.sendfile($0, $1, $2, $3) },
    fsync: { Glibc.fsync($0) },
    ftruncate: { Glibc.ftruncate($0, $1) },
    truncate: { Glibc.truncate($0, $1) },
    rename: { Glibc.rename($0, $1) },
    link: { Glibc.link($0, $1) },
    unlink: { Glibc.unlink($0) },
    mkdir: { Glibc.mkdir($0, $1) },
    rmdir: { Glibc.rmdir($0) },
    stat: { callStat($0, $1) },
    lstat: { Glibc.lstat($0, $1) },
    fstat: { Glibc.fstat($0, $1) },
    flock: { callFlock($0, $1) },
    fcntl: { Glibc.fcntl($0, $1, $2) },
    fcntlLock: { Glibc.fcntl($0, $1, $2) },
    mmap: { Glibc.mmap(nil, $0, $1, $2, $3, 0) },
    munmap: { Glibc.munmap($0, $1) })

  /// The table in use. Only tests replace it.
  static var current = system
}

// Unqualified, where `stat` and `flock` name the functions rather than the structs.
private func callStat(_ path: String, _ result: UnsafeMutablePointer<Glibc.stat>) -> Int32 { stat(path, result) }
private func callFlock(_ fd: Int32, _ operation: Int32) -> Int32 { flock(fd, operation) }

/// The calls the vault code makes (see the top of this file).
enum Syscalls {
  static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
    SyscallTable.current.open(path, flags, mode)
  }
  @discardableResult static func close(_ fd: Int32) -> Int32 { SyscallTable.current.close(fd) }
  static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    SyscallTable.current.read(fd, buffer, count)
  }
  static func pread(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int, _ offset: off_t) -> Int {
    SyscallTable.current.pread(fd, buffer, count, offset)
  }
  static func write(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    SyscallTable.current.write(fd, buffer, count)
  }
  static func pwrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int, _ offset: off_t) -> Int {
    SyscallTable.current.pwrite(fd, buffer, count, offset)
  }
  static func sendfile(_ out: Int32, _ in: Int32, _ offset: UnsafeMutablePointer<off_t>?, _ count: Int) -> Int {
    SyscallTable.current.sendfile(out, `in`, offset, count)
  }
  static func fsync(_ fd: Int32) -> Int32 { SyscallTable.current.fsync(fd) }
  static func ftruncate(_ fd: Int32, _ length: off_t) -> Int32 { SyscallTable.current.ftruncate(fd, length) }
  @discardableResult static func truncate(_ path: String, _ length: off_t) -> Int32 {
    SyscallTable.current.truncate(path, length)
  }
  static func rename(_ from: String, _ to: String) -> Int32 { SyscallTable.current.rename(from, to) }
  static func link(_ from: String, _ to: String) -> Int32 { SyscallTable.current.link(from, to) }
  @discardableResult static func unlink(_ path: String) -> Int32 { SyscallTable.current.unlink(path) }
  static func mkdir(_ path: String, _ mode: mode_t) -> Int32 { SyscallTable.current.mkdir(path, mode) }
  @discardableResult static func rmdir(_ path: String) -> Int32 { SyscallTable.current.rmdir(path) }
  static func stat(_ path: String, _ result: UnsafeMutablePointer<Glibc.stat>) -> Int32 {
    SyscallTable.current.stat(path, result)
  }
  static func lstat(_ path: String, _ result: UnsafeMutablePointer<Glibc.stat>) -> Int32 {
    SyscallTable.current.lstat(path, result)
  }
  static func fstat(_ fd: Int32, _ result: UnsafeMutablePointer<Glibc.stat>) -> Int32 {
    SyscallTable.current.fstat(fd, result)
  }
  static func flock(_ fd: Int32, _ operation: Int32) -> Int32 { SyscallTable.current.flock(fd, operation) }
  static func fcntl(_ fd: Int32, _ command: Int32, _ argument: Int32 = 0) -> Int32 {
    SyscallTable.current.fcntl(fd, command, argument)
  }
  static func fcntl(_ fd: Int32, _ command: Int32, _ lock: UnsafeMutablePointer<Glibc.flock>) -> Int32 {
    SyscallTable.current.fcntlLock(fd, command, lock)
  }
  /// A shared or private mapping of `length` bytes of `fd` from offset 0; nil on failure.
  static func mmap(_ length: Int, _ protection: Int32, _ flags: Int32, _ fd: Int32) -> UnsafeMutableRawPointer? {
    let p = SyscallTable.current.mmap(length, protection, flags, fd)
    return p == MAP_FAILED ? nil : p
  }
  @discardableResult static func munmap(_ address: UnsafeMutableRawPointer, _ length: Int) -> Int32 {
    SyscallTable.current.munmap(address, length)
  }
}
