import Foundation
import XCTest

/// `--syslog` / $MFACTL_SYSLOG mirror audit events to syslog(3). Checked by listening on
/// /dev/log (only when no syslog daemon owns it, as root; skipped otherwise).
final class SyslogE2ETests: CLITestCase {
  func testEventsAreMirroredToSyslogByIdOnly() throws {
    guard getuid() == 0, !FileManager.default.fileExists(atPath: "/dev/log"), let python = Binary.tool("python3") else {
      throw XCTSkip("needs root and no syslog daemon on /dev/log")
    }
    try initKeyFileVault()
    let e = try enrol("alice")
    let out = dir + "/syslog.txt"
    let listener = try Running(
      executable: python,
      args: [
        "-c",
        """
        import socket, sys
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        s.bind('/dev/log')
        open(sys.argv[1] + '.ready', 'w').close()
        s.settimeout(10)
        msgs = []
        try:
            while len(msgs) < 2:
                msgs.append(s.recv(4096).decode())
        finally:
            s.close()
            import os; os.unlink('/dev/log')
        open(sys.argv[1], 'w').write('\\n'.join(msgs))
        """,
        out,
      ], stdin: nil, env: ProcessInfo.processInfo.environment, cwd: dir)
    for _ in 0..<200 where !exists(out + ".ready") { usleep(10_000) }
    assertExit(try run(["verify", "alice", "000000", "--syslog", "--ip", "10.9.8.7"]), 1)
    assertExit(try run(["verify", "alice", try totp(e.secret, at: now)], env: ["MFACTL_SYSLOG": "1"]), 0)
    let heard = listener.wait(timeout: 15)
    let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    XCTAssertEqual(heard.code, 0, "listener: \(heard)")
    XCTAssertTrue(text.contains("event=verify.failure outcome=failure"), text)
    XCTAssertTrue(text.contains("ip=10.9.8.7"), text)
    XCTAssertTrue(text.contains("event=verify.success outcome=success"), text)
    XCTAssertTrue(text.contains("mfactl["), "ident and pid: \(text)")
    XCTAssertFalse(text.contains("alice"), "users by id only: \(text)")
  }
}
