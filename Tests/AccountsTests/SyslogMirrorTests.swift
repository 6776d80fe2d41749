import Accounts
import XCTest

final class SyslogMirrorTests: XCTestCase {
  func testLineIsKeyValueWithQuotingAndNoName() {
    let u = User(name: "alice", id: "0123456789abcdef", createdAt: 0)
    let e = AccountEvent("verify.failure", user: u, outcome: .failure, detail: ["reason": "a \"b\" c", "n": "1"])
    let line = SyslogMirror.line(e, actor: Actor(name: "root", ip: "10.0.0.1"), time: 1_700_000_000)
    XCTAssertEqual(
      line,
      #"event=verify.failure outcome=failure user_id=0123456789abcdef actor=root ip=10.0.0.1 n=1 reason="a \"b\" c" time=1700000000"#
    )
    XCTAssertFalse(line.contains("alice"))
  }
}
