// What the PAM tests share (PAMIntegrationTests: the pam_exec recipe; PAMModuleTests:
// pam_mfactl.so): a PAM service file of their own under /etc/pam.d, removed in tearDown
// (also after a failure), pamtester runs against it, and the real clock.
import Foundation
import XCTest

class PAMTestCase: CLITestCase {
  /// The PAM service file this test wrote, removed in tearDown.
  var serviceFile: String?
  /// Its name (the file's name in /etc/pam.d).
  var service = ""

  override func setUpWithError() throws {
    try super.setUpWithError()
    // Real clock for every run: PAM never passes MFACTL_NOW on, so the runs of the
    // harness must not use it either.
    extraEnv.updateValue(nil, forKey: "MFACTL_NOW")
  }

  override func tearDownWithError() throws {
    if let f = serviceFile {
      try? FileManager.default.removeItem(atPath: f)
      serviceFile = nil
    }
    try super.tearDownWithError()
  }

  /// `pamtester -v SERVICE USER OPS...` with `input` (a line; nothing when nil) on stdin,
  /// as the conversation's answer.
  func pam(
    _ pamtester: String, _ user: String, _ input: String?, ops: [String] = ["authenticate"], items: [String] = [],
    pamEnv: [String] = []
  ) throws -> RunResult {
    var args = ["-v"]
    for i in items { args += ["-I", i] }
    for e in pamEnv { args += ["-E", e] }
    args += [service, user] + ops
    return try Running(
      executable: pamtester, args: args, stdin: Data((input.map { $0 + "\n" } ?? "").utf8),
      env: ProcessInfo.processInfo.environment, cwd: dir
    ).wait(timeout: 60)
  }

  /// The audit events, newest first.
  func auditEvents(limit: Int = 50) throws -> [[String: Any]] {
    let r = try run(["audit", "list", "--format", "json", "--limit", String(limit)])
    assertExit(r, 0)
    return r.jsonLines ?? []
  }
}
