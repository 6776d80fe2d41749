// What the vault targets share: the fixed key file the seed corpus was made with, a
// scratch directory for the files the library insists on opening by path, and the
// "fix-ups" that recompute checksums and MACs after mutation, so that the fuzzer gets
// past them into the code behind (what a key holder, or a bug in mfactl itself, could
// feed it) instead of stopping at the first checksum every time.
import Sodium

#if canImport(Glibc)
  import Glibc
#endif

enum FuzzFiles {
  /// The key file of every seed vault and backup: bytes 0, 1, ..., 31
  /// (fuzz/corpus/fuzz.key; scripts/fuzz.sh corpus).
  nonisolated(unsafe) static var key: SecureBytes!
  nonisolated(unsafe) static var dir = ""

  static func setUp() {
    key = try! SecureBytes(copying: (0..<32).map { UInt8($0) })
    // scripts/fuzz.sh gives each run a directory and removes it afterwards, also when
    // the run ends in a crash (which skips atexit).
    if let given = getenv("MFACTL_FUZZ_DIR") {
      dir = String(cString: given)
      return
    }
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    var template = Array("\(base)/mfactl-fuzz-XXXXXX".utf8CString)
    guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
      fatalError("cannot make a scratch directory under \(base)")
    }
    dir = String(cString: template)
    // Remove the scratch directory when libFuzzer exits normally.
    atexit { FuzzFiles.removeAll() }
  }

  static func path(_ name: String) -> String { dir + "/" + name }

  static func write(_ name: String, _ bytes: UnsafeRawBufferPointer) {
    let fd = open(path(name), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    precondition(fd >= 0, "cannot write \(path(name))")
    var done = 0
    while done < bytes.count {
      let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
      precondition(n > 0)
      done += n
    }
    close(fd)
  }

  static func write(_ name: String, _ bytes: [UInt8]) {
    bytes.withUnsafeBytes { write(name, $0) }
  }

  static func remove(_ name: String) { unlink(path(name)) }

  static func removeAll() {
    guard let d = opendir(dir) else { return }
    while let e = readdir(d) {
      let name = withUnsafeBytes(of: e.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
      if name == "." || name == ".." { continue }
      let p = path(name)
      // Backup checks leave no scratch directories behind; if one did, remove it too.
      if rmdir(p) != 0 { unlink(p) }
    }
    closedir(d)
    rmdir(dir)
  }
}

/// Little-endian u32 at `at` (0 when out of range).
func fuzzU32(_ b: [UInt8], _ at: Int) -> Int {
  guard at >= 0, at + 4 <= b.count else { return 0 }
  return Int(b[at]) | Int(b[at + 1]) << 8 | Int(b[at + 2]) << 16 | Int(b[at + 3]) << 24
}

/// Takes a u32 length and that many bytes from the front of `input` (fewer if short).
func fuzzSplit(_ input: inout ArraySlice<UInt8>) -> [UInt8] {
  guard input.count >= 4 else {
    input = input[input.endIndex...]
    return []
  }
  let s = input.startIndex
  let n = min(
    Int(input[s]) | Int(input[s + 1]) << 8 | Int(input[s + 2]) << 16 | Int(input[s + 3]) << 24, input.count - 4)
  let part = Array(input[(s + 4)..<(s + 4 + n)])
  input = input[(s + 4 + n)...]
  return part
}

enum FixUp {
  /// Recomputes the BLAKE2b checksum after a vault header at the start of `file`
  /// (whatever its length field says, when that fits).
  static func headerChecksum(_ file: inout [UInt8], at start: Int = 0) {
    let length = fuzzU32(file, start + 10)
    guard length >= 14, start + length + 32 <= file.count else { return }
    let sum = Sodium.blake2b(Array(file[start..<(start + length)]), length: 32)
    file.replaceSubrange((start + length)..<(start + length + 32), with: sum)
  }

  /// The data key the fuzz key file unwraps from the vault header at the start of
  /// `file`, or nil.
  static func dataKey(_ file: [UInt8]) -> (SecureBytes, headerLength: Int)? {
    guard let (header, length) = try? file.withUnsafeBytes({ try VaultHeader.decode($0) }),
      let (key, _) = try? SlotCrypto.unwrap(.keyFile(FuzzFiles.key), header: header)
    else { return nil }
    return (key, length)
  }

  /// Recomputes every page MAC and the root MAC of the index, as the holder of the data
  /// key would, so that mutations of the count, entries, page table and records reach
  /// the checks behind the MACs.
  static func indexMACs(_ file: inout [UInt8]) {
    guard let (dataKey, headerLength) = dataKey(file),
      let layout = IndexLayout(file, headerLength: headerLength),
      let macKey = try? Sodium.deriveSubkey(
        from: dataKey, id: Subkey.indexMAC.rawValue, context: VaultFormat.kdfContext)
    else { return }
    for p in 0..<layout.pages {
      let range = layout.pageRange(p)
      let mac = file.withUnsafeBytes {
        IndexLayout.pageMAC(
          key: macKey, page: p,
          entries: UnsafeRawBufferPointer(
            rebasing: $0[layout.entryAt(range.lowerBound)..<layout.entryAt(range.upperBound)]))
      }
      file.replaceSubrange(layout.pageMACAt(p)..<(layout.pageMACAt(p) + 32), with: mac)
    }
    let root = file.withUnsafeBytes { layout.rootMAC(key: macKey, bytes: $0) }
    file.replaceSubrange(layout.rootAt..<layout.recordsStart, with: root)
  }
}
