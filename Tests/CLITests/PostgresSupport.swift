// The throwaway PostgreSQL server `make test` starts (scripts/pg-server.sh) as the tests
// see it: its PG* variables are in the environment, so libpq (in mfactl and in psql)
// finds it without a host in the URI. Each test that uses it gets a database of its own.
//
// MFACTL_TEST_BACKEND=postgresql runs the end-to-end suites with every vault in a
// database instead of a file (`make test` does so for the suites listed in the Makefile);
// tests of what only a file has (modes, companion files, crashes between fsyncs) call
// `try requireFileVault()`.
import Foundation
import XCTest

enum PostgresTestServer {
  static var environment: [String: String] { ProcessInfo.processInfo.environment }

  /// Whether a test server is running (its socket directory is in PGHOST).
  static var isRunning: Bool { environment["PGHOST"] != nil && environment["PGPORT"] != nil }

  /// Whether the end-to-end suites run against PostgreSQL.
  static var suitesUseIt: Bool { environment["MFACTL_TEST_BACKEND"] == "postgresql" }

  /// Skips a test that needs the server when none runs, unless `make test` said one must
  /// (MFACTL_TEST_REQUIRE_PG=1): then its absence is a failure.
  static func require(file: StaticString = #filePath, line: UInt = #line) throws {
    if isRunning { return }
    if environment["MFACTL_TEST_REQUIRE_PG"] == "1" {
      XCTFail("no PostgreSQL test server (PGHOST/PGPORT unset); make test starts one", file: file, line: line)
    }
    throw XCTSkip("no PostgreSQL test server; run scripts/pg-server.sh start DIR and export its env")
  }

  static func uri(_ database: String) -> String { "postgresql:///\(database)" }

  /// A new, empty database (named for nothing secret).
  static func createDatabase() throws -> String {
    let name = "mfat_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
    _ = try psql("postgres", "CREATE DATABASE \(name)")
    return name
  }

  static func dropDatabase(_ name: String) {
    _ = try? psql("postgres", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
  }

  /// Every value mfactl stored, per table, as bytes (what a dump of the database holds).
  static func storedBytes(_ database: String) throws -> [(String, Data)] {
    var out: [(String, Data)] = []
    for (table, columns) in [
      ("mfactl.vault", "header"), ("mfactl.records", "id || sealed"), ("mfactl.audit", "record"),
    ] {
      let order = table == "mfactl.audit" ? "seq" : "1"
      let text = try psql(database, "SELECT encode(\(columns), 'hex') FROM \(table) ORDER BY \(order)")
      for line in text.split(separator: "\n") where !line.isEmpty {
        out.append((table, Data(hex: String(line))))
      }
    }
    return out
  }

  /// Runs SQL with psql (unaligned, tuples only) and returns its output.
  @discardableResult
  static func psql(_ database: String, _ sql: String) throws -> String {
    guard let path = Binary.tool("psql") else { throw Binary.Failure(description: "psql is not installed") }
    let r = try Running(
      executable: path, args: ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql],
      stdin: nil, env: environment, cwd: "/"
    ).wait()
    guard r.code == 0 else { throw Binary.Failure(description: "psql failed: \(r.stderr)") }
    return r.stdout
  }
}

extension CLITestCase {
  /// The vault's stored state: the file's bytes, or every row mfactl keeps in the test's
  /// database (in a fixed order); nil when there is none. Equal states mean nothing changed.
  func vaultState() -> Data? {
    guard let db = database else { return bytes(vault) }
    guard let rows = try? PostgresTestServer.storedBytes(db), !rows.isEmpty else { return nil }
    var d = Data()
    for (table, bytes) in rows {
      d.append(Data(table.utf8))
      d.append(bytes)
    }
    return d
  }

  /// For tests of what only a vault file has: skipped when the suite runs on PostgreSQL.
  func requireFileVault() throws {
    if database != nil { throw XCTSkip("tests the vault file; this run keeps the vault in PostgreSQL") }
  }
}

extension Data {
  /// Bytes from lowercase hex (psql's `encode(..., 'hex')`).
  init(hex: String) {
    var bytes = [UInt8]()
    var it = hex.utf8.makeIterator()
    func nibble(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
    while let h = it.next(), let l = it.next() { bytes.append(nibble(h) << 4 | nibble(l)) }
    self.init(bytes)
  }
}
