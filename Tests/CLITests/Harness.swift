// End-to-end harness: runs the built `mfactl` binary the way a script would (its own
// environment, stdin, stdout/stderr, exit code) in a private temp directory per test.
//
// The binary: $MFACTL_BIN when set, else `mfactl` beside the running test bundle
// (`swift build` puts both in `.build/<triple>/debug/`).
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// What one run of the binary did.
struct RunResult: CustomStringConvertible {
  var args: [String]
  var code: Int32
  var stdoutData: Data
  var stderrData: Data
  var seconds: Double

  var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
  var stderr: String { String(decoding: stderrData, as: UTF8.self) }

  /// stdout split into lines, without the final empty one.
  var lines: [String] {
    var l = stdout.components(separatedBy: "\n")
    if l.last == "" { l.removeLast() }
    return l
  }

  var stderrLines: [String] {
    var l = stderr.components(separatedBy: "\n")
    if l.last == "" { l.removeLast() }
    return l
  }

  /// stdout as one JSON object (nil when it is not exactly that).
  var json: [String: Any]? {
    guard let obj = try? JSONSerialization.jsonObject(with: stdoutData), let d = obj as? [String: Any] else {
      return nil
    }
    return d
  }

  /// stdout as one JSON object per line.
  var jsonLines: [[String: Any]]? {
    var out: [[String: Any]] = []
    for line in lines {
      guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)), let d = obj as? [String: Any] else {
        return nil
      }
      out.append(d)
    }
    return out
  }

  var description: String {
    "mfactl \(args.joined(separator: " ")) -> exit \(code) (\(String(format: "%.2f", seconds)) s)\n--- stdout:\n\(stdout)--- stderr:\n\(stderr)---"
  }
}

enum Binary {
  /// The mfactl binary, or a reason why it was not found.
  static let mfactl: Result<String, Failure> = locate()

  struct Failure: Error, CustomStringConvertible { var description: String }

  private static func locate() -> Result<String, Failure> {
    if let p = ProcessInfo.processInfo.environment["MFACTL_BIN"], !p.isEmpty {
      return FileManager.default.isExecutableFile(atPath: p)
        ? .success(p) : .failure(Failure(description: "MFACTL_BIN=\(p) is not an executable file"))
    }
    var dirs: [String] = []
    // The running xctest executable (on Linux the bundle is the executable itself).
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      dirs.append((exe as NSString).deletingLastPathComponent)
    }
    let bundle = Bundle(for: BundleToken.self).bundleURL
    dirs.append(bundle.deletingLastPathComponent().path)
    dirs.append(Bundle.main.bundleURL.path)
    dirs.append(Bundle.main.bundleURL.deletingLastPathComponent().path)
    if let arg0 = CommandLine.arguments.first {
      dirs.append((URL(fileURLWithPath: arg0).resolvingSymlinksInPath().path as NSString).deletingLastPathComponent)
    }
    for d in dirs {
      let p = d + "/mfactl"
      if FileManager.default.isExecutableFile(atPath: p) { return .success(p) }
    }
    return .failure(
      Failure(
        description:
          "the mfactl binary was not found beside the test bundle (looked in \(dirs.joined(separator: ", "))): run swift build first, or set MFACTL_BIN"
      ))
  }

  private final class BundleToken {}

  /// A tool on PATH (oathtool, zbarimg, flock), or nil.
  static func tool(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for d in path.split(separator: ":") + ["/usr/bin", "/bin", "/usr/local/bin"] {
      let p = "\(d)/\(name)"
      if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
  }
}

/// A process started but not yet waited for (for races and kills).
final class Running {
  let process: Process
  let args: [String]
  private let group = DispatchGroup()
  private var out = Data()
  private var err = Data()
  private let started = Date()

  /// `captureOutput: false` sends stdout and stderr to /dev/null: for a process whose
  /// children may outlive it (they would hold the pipes open).
  init(executable: String, args: [String], stdin: Data?, env: [String: String], cwd: String, captureOutput: Bool = true)
    throws
  {
    self.args = args
    process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = args
    process.environment = env
    process.currentDirectoryURL = URL(fileURLWithPath: cwd)
    let outPipe = Pipe()
    let errPipe = Pipe()
    if captureOutput {
      process.standardOutput = outPipe
      process.standardError = errPipe
    } else {
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try outPipe.fileHandleForWriting.close()
      try errPipe.fileHandleForWriting.close()
    }
    if let data = stdin {
      // Written before the start and closed: the child reads it, then sees end of input.
      // Small inputs only (a pipe buffer holds 64 KiB).
      let inPipe = Pipe()
      inPipe.fileHandleForWriting.write(data)
      try inPipe.fileHandleForWriting.close()
      process.standardInput = inPipe
    } else {
      process.standardInput = FileHandle.nullDevice
    }
    try process.run()
    DispatchQueue.global().async(group: group) { [outPipe] in
      let d = outPipe.fileHandleForReading.readDataToEndOfFile()
      self.out = d
    }
    DispatchQueue.global().async(group: group) { [errPipe] in
      let d = errPipe.fileHandleForReading.readDataToEndOfFile()
      self.err = d
    }
  }

  var pid: Int32 { process.processIdentifier }

  func kill(_ signal: Int32) { _ = Glibc.kill(process.processIdentifier, signal) }

  /// Waits for the exit (killing the process after `timeout` seconds).
  func wait(timeout: Double = 60) -> RunResult {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(2000) }
    if process.isRunning {
      kill(SIGKILL)
    }
    process.waitUntilExit()
    group.wait()
    var code = process.terminationStatus
    if process.terminationReason == .uncaughtSignal { code = 128 + code }
    return RunResult(
      args: args, code: code, stdoutData: out, stderrData: err, seconds: Date().timeIntervalSince(started))
  }
}

/// Base class: a private directory, a vault path and a key-file path per test, a fixed
/// clock, and helpers to run the binary and compute codes with oathtool.
class CLITestCase: XCTestCase {
  var dir: String = ""
  /// The vault every run uses ($MFACTL_VAULT): a file in `dir`, or, when the suite runs
  /// against PostgreSQL (MFACTL_TEST_BACKEND=postgresql, see PostgresSupport.swift), a
  /// database of its own on the test server.
  var vault: String = ""
  /// The test's database when the vault is in PostgreSQL.
  var database: String? = nil
  var keyFile: String { dir + "/vault.key" }
  /// The clock every run sees ($MFACTL_NOW): 15 s into a 30 s step.
  var now: Int64 = 1_700_000_025
  /// Per-test environment overrides (nil removes a variable).
  var extraEnv: [String: String?] = [:]

  static let signalsIgnored: Bool = {
    signal(SIGPIPE, SIG_IGN)
    return true
  }()

  override func setUpWithError() throws {
    try super.setUpWithError()
    _ = Self.signalsIgnored
    let base = NSTemporaryDirectory() + "mfactl-e2e-" + UUID().uuidString.prefix(8)
    try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
    dir = base
    extraEnv = [:]
    vault = dir + "/data/vault.mfa"
    if PostgresTestServer.suitesUseIt {
      let db = try PostgresTestServer.createDatabase()
      database = db
      vault = PostgresTestServer.uri(db)
    }
  }

  override func tearDownWithError() throws {
    if let db = database { PostgresTestServer.dropDatabase(db) }
    database = nil
    if !dir.isEmpty { try? FileManager.default.removeItem(atPath: dir) }
    try super.tearDownWithError()
  }

  func binary(file: StaticString = #filePath, line: UInt = #line) throws -> String {
    switch Binary.mfactl {
    case .success(let p): return p
    case .failure(let f):
      XCTFail(f.description, file: file, line: line)
      throw f
    }
  }

  /// The environment of a run: the inherited one without MFACTL_* (and NO_COLOR,
  /// XDG_DATA_HOME, SUDO_USER), then this test's vault, key file, clock and fast KDF.
  func environment(_ overrides: [String: String?]) -> [String: String] {
    var e = ProcessInfo.processInfo.environment.filter {
      !$0.key.hasPrefix("MFACTL_") && !["NO_COLOR", "XDG_DATA_HOME", "SUDO_USER", "HOME"].contains($0.key)
    }
    e["HOME"] = dir + "/home"
    e["XDG_DATA_HOME"] = dir + "/xdg"
    e["NO_COLOR"] = "1"
    e["MFACTL_VAULT"] = vault
    e["MFACTL_KEY_FILE"] = keyFile
    e["MFACTL_NOW"] = String(now)
    e["MFACTL_INSECURE_TEST_KDF"] = "1"
    e["MFACTL_LOCK_TIMEOUT"] = "10"
    for (k, v) in extraEnv { e[k] = v }
    for (k, v) in overrides { e[k] = v }
    return e
  }

  @discardableResult
  func run(
    _ args: [String], stdin: String? = nil, env: [String: String?] = [:], at time: Int64? = nil,
    timeout: Double = 60
  ) throws -> RunResult {
    try start(args, stdin: stdin, env: env, at: time).wait(timeout: timeout)
  }

  func start(_ args: [String], stdin: String? = nil, env: [String: String?] = [:], at time: Int64? = nil) throws
    -> Running
  {
    var overrides = env
    if let t = time { overrides["MFACTL_NOW"] = String(t) }
    return try Running(
      executable: try binary(), args: args, stdin: stdin.map { Data($0.utf8) }, env: environment(overrides), cwd: dir)
  }

  /// Runs any tool (oathtool, zbarimg, flock) with the inherited environment.
  func tool(_ name: String, _ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
    guard let path = Binary.tool(name) else {
      XCTFail("\(name) is not installed (make deps installs it)", file: file, line: line)
      throw Binary.Failure(description: "\(name) missing")
    }
    let r = try Running(
      executable: path, args: args, stdin: nil, env: ProcessInfo.processInfo.environment, cwd: dir
    ).wait()
    return r
  }

  // MARK: Assertions

  func assertExit(
    _ r: RunResult, _ code: Int32, _ message: String = "", file: StaticString = #filePath, line: UInt = #line
  ) {
    XCTAssertEqual(r.code, code, "\(message)\n\(r)", file: file, line: line)
    assertNoCrash(r, file: file, line: line)
  }

  /// No Swift runtime crash text on either stream.
  func assertNoCrash(_ r: RunResult, file: StaticString = #filePath, line: UInt = #line) {
    for bad in [
      "Fatal error", "Stack dump", "Current stack trace", "Illegal instruction", "Segmentation fault", "backtrace",
    ] {
      XCTAssertFalse(r.stderr.contains(bad), "crash text '\(bad)' on stderr\n\(r)", file: file, line: line)
      XCTAssertFalse(r.stdout.contains(bad), "crash text '\(bad)' on stdout\n\(r)", file: file, line: line)
    }
    XCTAssertLessThan(r.code, 128, "killed by a signal\n\(r)", file: file, line: line)
  }

  /// The contract's error voice: exit `code`, and stderr is one `mfactl: error:` line,
  /// optionally followed by one `hint:` line.
  func assertError(
    _ r: RunResult, _ code: Int32, contains: [String] = [], file: StaticString = #filePath, line: UInt = #line
  ) {
    assertExit(r, code, file: file, line: line)
    let l = r.stderrLines
    XCTAssertTrue(
      (1...2).contains(l.count), "expected one error line (and maybe a hint), got \(l.count) lines\n\(r)", file: file,
      line: line)
    XCTAssertTrue(
      l.first?.hasPrefix("mfactl: error: ") ?? false, "first stderr line is not 'mfactl: error: ...'\n\(r)", file: file,
      line: line)
    if l.count == 2 {
      XCTAssertTrue(l[1].hasPrefix("hint: "), "second stderr line is not a 'hint:' line\n\(r)", file: file, line: line)
    }
    for c in contains {
      XCTAssertTrue(
        r.stderr.lowercased().contains(c.lowercased()), "stderr does not mention '\(c)'\n\(r)", file: file, line: line)
    }
  }

  // MARK: Files

  func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }
  func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

  func mode(_ path: String) -> Int? {
    var st = stat()
    guard lstat(path, &st) == 0 else { return nil }
    return Int(st.st_mode & 0o7777)
  }

  func write(_ path: String, _ text: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  }

  func writeBytes(_ path: String, _ data: Data) throws {
    try data.write(to: URL(fileURLWithPath: path))
  }

  /// The files in the vault's directory.
  func vaultDirListing() -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: (vault as NSString).deletingLastPathComponent)) ?? [])
      .sorted()
  }

  // MARK: Vault set-up

  /// A new vault with only a key-file slot (the fast default for most tests).
  func initKeyFileVault(file: StaticString = #filePath, line: UInt = #line) throws {
    let r = try run(["init", "--generate-key-file", keyFile, "--no-passphrase"], env: ["MFACTL_KEY_FILE": nil])
    assertExit(r, 0, "init failed", file: file, line: line)
  }

  /// A new vault with only a passphrase slot.
  func initPassphraseVault(_ passphrase: String = "correct horse", file: StaticString = #filePath, line: UInt = #line)
    throws
  {
    let r = try run(["init"], env: ["MFACTL_KEY_FILE": nil, "MFACTL_PASSPHRASE": passphrase])
    assertExit(r, 0, "init failed", file: file, line: line)
  }

  struct Enrolled {
    var id: String
    var uri: String
    var secret: String
    var json: [String: Any]
  }

  /// Enrols an authenticator (JSON output) and returns its id, URI and secret.
  @discardableResult
  func enrol(
    _ user: String, _ extra: [String] = [], activate: Bool = true, env: [String: String?] = [:],
    file: StaticString = #filePath, line: UInt = #line
  ) throws -> Enrolled {
    let r = try run(["enrol", user, "--format", "json"] + (activate ? ["--activate"] : []) + extra, env: env)
    assertExit(r, 0, "enrol failed", file: file, line: line)
    guard let j = r.json, let id = j["id"] as? String, let uri = j["uri"] as? String else {
      XCTFail("enrol --format json did not give id and uri\n\(r)", file: file, line: line)
      throw Binary.Failure(description: "enrol")
    }
    let secret = URLComponents(string: uri)?.queryItems?.first { $0.name == "secret" }?.value ?? ""
    return Enrolled(id: id, uri: uri, secret: secret, json: j)
  }

  /// `users show USER --format json`.
  func show(_ user: String, at time: Int64? = nil, file: StaticString = #filePath, line: UInt = #line) throws
    -> [String: Any]
  {
    let r = try run(["users", "show", user, "--format", "json"], at: time)
    assertExit(r, 0, "users show failed", file: file, line: line)
    guard let j = r.json else {
      XCTFail("users show --format json is not one JSON object\n\(r)", file: file, line: line)
      throw Binary.Failure(description: "show")
    }
    return j
  }

  func failures(_ user: String, at time: Int64? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> Int
  {
    (try show(user, at: time, file: file, line: line)["failures"] as? Int) ?? -1
  }

  // MARK: Codes (computed by oathtool, independently of mfactl)

  /// A TOTP code for `secret` (base32) at Unix time `t`.
  func totp(
    _ secret: String, at t: Int64, algorithm: String = "SHA1", digits: Int = 6, period: Int = 30,
    file: StaticString = #filePath, line: UInt = #line
  ) throws -> String {
    let mode = algorithm.lowercased()
    let r = try tool(
      "oathtool", ["--totp=\(mode)", "-d", String(digits), "-s", "\(period)s", "--now", "@\(t)", "-b", secret],
      file: file, line: line)
    XCTAssertEqual(r.code, 0, "oathtool failed: \(r.stderr)", file: file, line: line)
    return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// A HOTP code for `secret` (base32) at `counter`.
  func hotp(_ secret: String, counter: UInt64, digits: Int = 6, file: StaticString = #filePath, line: UInt = #line)
    throws -> String
  {
    let r = try tool(
      "oathtool", ["--hotp", "-d", String(digits), "-c", String(counter), "-b", secret], file: file, line: line)
    XCTAssertEqual(r.code, 0, "oathtool failed: \(r.stderr)", file: file, line: line)
    return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// A code of the right shape that is none of the given ones.
  func wrongCode(not codes: [String], digits: Int = 6) -> String {
    var n = 0
    while true {
      let c = String(repeating: String(n % 10), count: digits)
      if !codes.contains(c) { return c }
      n += 1
    }
  }
}

/// RFC 4648 base32 decoding (for checking secret lengths).
func base32Decode(_ s: String) -> [UInt8]? {
  let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
  var bits = 0
  var value = 0
  var out: [UInt8] = []
  for ch in s.uppercased() where ch != "=" {
    guard let i = alphabet.firstIndex(of: ch) else { return nil }
    value = (value << 5) | i
    bits += 5
    if bits >= 8 {
      out.append(UInt8((value >> (bits - 8)) & 0xFF))
      bits -= 8
    }
  }
  return out
}

/// The query parameters of a URI as a dictionary.
func queryItems(_ uri: String) -> [String: String] {
  var d: [String: String] = [:]
  for q in URLComponents(string: uri)?.queryItems ?? [] { d[q.name] = q.value ?? "" }
  return d
}
