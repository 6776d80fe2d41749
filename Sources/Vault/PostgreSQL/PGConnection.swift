// One libpq connection (CLibPQ loads libpq at run time), and the mapping of what can go
// wrong there onto the contract's exit codes (docs/postgresql.md, "Exit codes"):
// unreachable server, refused authentication or no libpq: 69; a lock wait past
// $MFACTL_LOCK_TIMEOUT, a deadlock or a serialization failure: 75; no mfactl schema: 66.
// Nothing here ever puts the connection URI in a message: it may hold a password.
import CLibPQ
import CLoadGuard
import Sodium

#if canImport(Glibc)
  import Glibc
#endif

final class PGConnection {
  private let conn: OpaquePointer
  /// The URI without its password, for messages.
  let location: String

  /// Whether `vault` names a PostgreSQL vault rather than a file.
  static func isURI(_ vault: String) -> Bool {
    vault.hasPrefix("postgresql://") || vault.hasPrefix("postgres://")
  }

  /// `uri` with any password replaced by `***` (userinfo and a `password=` parameter).
  static func redacted(_ uri: String) -> String {
    let u = Array(uri.utf8)
    guard let s = (0..<max(0, u.count - 2)).first(where: { u[$0] == 58 && u[$0 + 1] == 47 && u[$0 + 2] == 47 }) else {
      return uri
    }
    let schemePart = String(decoding: u[0..<(s + 3)], as: UTF8.self)
    var rest = String(decoding: u[(s + 3)...], as: UTF8.self)
    let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
    if let at = rest[..<authorityEnd].lastIndex(of: "@"),
      let colon = rest[..<at].firstIndex(of: ":")
    {
      rest.replaceSubrange(rest.index(after: colon)..<at, with: "***")
    }
    if let q = rest.firstIndex(of: "?") {
      let query = rest[rest.index(after: q)...].split(separator: "&", omittingEmptySubsequences: false).map {
        $0.lowercased().hasPrefix("password=") ? "password=***" : String($0)
      }
      rest = String(rest[...q]) + query.joined(separator: "&")
    }
    return schemePart + rest
  }

  /// Connects; `lockTimeout` (seconds) bounds every row-lock wait of the session.
  init(uri: String, lockTimeout: Double) throws {
    location = Self.redacted(uri)
    guard mfa_pq_load() == 0 else {
      let why = String(cString: mfa_pq_load_error())
      // The loader asks CLoadGuard first: a static build on another glibc build is refused
      // before dlopen (its answer is cached, so asking again here costs nothing).
      if mfactl_dlopen_check() != 0 {
        throw VaultError.unavailable(
          "cannot load libpq: \(why)",
          hint: "a statically linked mfactl reaches PostgreSQL only on the glibc it was built with")
      }
      throw VaultError.unavailable(
        "libpq is not installed: \(why)", hint: "a PostgreSQL vault needs libpq: apt-get install libpq5")
    }
    // The URI goes through libpq's own parser (expand_dbname), so everything libpq reads
    // is honoured: PG* variables, ~/.pgpass, service files, sslmode, multiple hosts.
    // A connect timeout of 10 s unless the URI or $PGCONNECT_TIMEOUT sets one (earlier
    // keywords are overridden by what the URI says).
    var keywords = ["fallback_application_name"]
    var values = ["mfactl"]
    if getenv("PGCONNECT_TIMEOUT") == nil {
      keywords.append("connect_timeout")
      values.append("10")
    }
    keywords.append("dbname")
    values.append(uri)
    let c: OpaquePointer? = withCStrings(keywords) { k in
      withCStrings(values) { v in mfa_PQconnectdbParams(k, v, 1) }
    }
    guard let c = c else { throw VaultError.unavailable("cannot connect to \(location): out of memory", hint: nil) }
    guard mfa_PQstatus(c) == 0 else {
      let why = Self.oneLine(String(cString: mfa_PQerrorMessage(c)))
      mfa_PQfinish(c)
      throw VaultError.unavailable(
        "cannot connect to PostgreSQL at \(location): \(why)",
        hint: "check the server, the URI and its credentials (PG* variables, ~/.pgpass)")
    }
    conn = c
    mfa_pq_silence_notices(conn)
    let ms = max(1, Int((lockTimeout * 1000).rounded()))
    transactionSettings =
      "SET LOCAL lock_timeout = \(ms); SET LOCAL idle_in_transaction_session_timeout = \(max(ms * 3, 60_000)); "
  }

  /// What every transaction sets first (`SET LOCAL`: a pooler in transaction mode, like
  /// pgbouncer, hands each transaction any server connection, so a session setting would
  /// land on the wrong one and stay there for other clients).
  let transactionSettings: String

  deinit { mfa_PQfinish(conn) }

  /// libpq's messages end in a newline and may hold several lines (one per host tried).
  static func oneLine(_ s: String) -> String {
    s.split(whereSeparator: \.isNewline).map { line in
      String(line.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }.filter { !$0.isEmpty }.joined(separator: "; ")
  }

  // MARK: Statements

  /// A parameter: bytes go in binary (bytea), integers as text.
  enum Param {
    case bytes([UInt8])
    case int(Int64)
  }

  /// Runs `sql` (one or more statements, no parameters); returns the last statement's
  /// rows, values as text.
  @discardableResult
  func execute(_ sql: String) throws -> PGRows {
    try check(mfa_PQexec(conn, sql), binary: false)
  }

  /// Runs one statement with parameters $1..; rows come back in binary.
  @discardableResult
  func execute(_ sql: String, _ params: [Param]) throws -> PGRows {
    var buffers: [[UInt8]] = params.map {
      switch $0 {
      case .bytes(let b): return b
      case .int(let i): return Array(String(i).utf8) + [0]
      }
    }
    defer { for i in buffers.indices { Sodium.wipe(&buffers[i]) } }
    let lengths = buffers.map { Int32($0.count) }
    let formats: [Int32] = params.map {
      if case .bytes = $0 { return 1 }
      return 0
    }
    let result: OpaquePointer? = withBufferPointers(buffers) { pointers in
      mfa_PQexecParams(conn, sql, Int32(params.count), nil, pointers, lengths, formats, 1)
    }
    return try check(result, binary: true)
  }

  private func check(_ result: OpaquePointer?, binary: Bool) throws -> PGRows {
    let status = result.map { mfa_PQresultStatus($0) } ?? -1
    if status == 1 || status == 2 {
      return PGRows(result: result!, binary: binary)
    }
    defer { mfa_PQclear(result) }
    let state = result.flatMap { mfa_pq_sqlstate($0) }.map { String(cString: $0) } ?? ""
    let message =
      result.map { Self.oneLine(String(cString: mfa_PQresultErrorMessage($0))) }
      ?? Self.oneLine(String(cString: mfa_PQerrorMessage(conn)))
    throw classify(state: state, message: message)
  }

  /// What a failed statement means to the contract.
  func classify(state: String, message: String) -> VaultError {
    if mfa_PQstatus(conn) != 0 || state.hasPrefix("08") || state.hasPrefix("57P") {
      return .unavailable(
        "lost the connection to PostgreSQL at \(location): \(message)",
        hint: "nothing was changed unless the command said so; check the server and retry")
    }
    switch state {
    case "55P03", "40P01", "40001":
      return .busy(location, seconds: VaultLock.timeoutFromEnvironment())
    case "42P01", "3F000":
      return .notFound(location)
    case "42501":
      return .unavailable(
        "PostgreSQL refused: \(message)", hint: "grant the role mfactl connects as the rights docs/postgresql.md lists")
    default:
      return .io("PostgreSQL at \(location): \(message)\(state.isEmpty ? "" : " (SQLSTATE \(state))")")
    }
  }
}

/// The rows a statement returned (freed with the object).
final class PGRows {
  private let result: OpaquePointer
  private let binary: Bool

  fileprivate init(result: OpaquePointer, binary: Bool) {
    self.result = result
    self.binary = binary
  }

  deinit { mfa_PQclear(result) }

  var count: Int { Int(mfa_PQntuples(result)) }

  func isNull(_ row: Int, _ column: Int) -> Bool {
    mfa_PQgetisnull(result, Int32(row), Int32(column)) != 0
  }

  /// A bytea column: raw in binary results, `\x`-hex in text ones.
  func bytes(_ row: Int, _ column: Int) -> [UInt8] {
    let n = Int(mfa_PQgetlength(result, Int32(row), Int32(column)))
    guard let p = mfa_PQgetvalue(result, Int32(row), Int32(column)) else { return [] }
    let raw = UnsafeRawBufferPointer(start: p, count: n)
    if binary { return Array(raw) }
    return PGText.decodeHex(raw) ?? []
  }

  /// A column's bytes as they came (text or binary).
  func rawBytes(_ row: Int, _ column: Int) -> [UInt8] {
    let n = Int(mfa_PQgetlength(result, Int32(row), Int32(column)))
    guard let p = mfa_PQgetvalue(result, Int32(row), Int32(column)) else { return [] }
    return Array(UnsafeRawBufferPointer(start: p, count: n))
  }

  /// An int8/int4 column.
  func int(_ row: Int, _ column: Int) -> Int64 {
    let n = Int(mfa_PQgetlength(result, Int32(row), Int32(column)))
    guard let p = mfa_PQgetvalue(result, Int32(row), Int32(column)) else { return 0 }
    let raw = UnsafeRawBufferPointer(start: p, count: n)
    if binary {
      var v: Int64 = 0
      for b in raw { v = v << 8 | Int64(b) }
      return n == 4 ? Int64(Int32(truncatingIfNeeded: v)) : v
    }
    return Int64(String(decoding: raw, as: UTF8.self)) ?? 0
  }
}

/// SQL text for bytes (hex bytea literals), for the multi-statement commits.
enum PGText {
  private static let digits = Array("0123456789abcdef".utf8)

  /// `'\x...'::bytea`
  static func literal(_ bytes: [UInt8]) -> String {
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2 + 12)
    out += Array("'\\x".utf8)
    for b in bytes {
      out.append(digits[Int(b >> 4)])
      out.append(digits[Int(b & 15)])
    }
    out += Array("'::bytea".utf8)
    return String(decoding: out, as: UTF8.self)
  }

  static func decodeHex(_ raw: UnsafeRawBufferPointer) -> [UInt8]? {
    guard raw.count >= 2, raw[0] == UInt8(ascii: "\\"), raw[1] == UInt8(ascii: "x"), raw.count % 2 == 0 else {
      return nil
    }
    func nibble(_ c: UInt8) -> UInt8? {
      switch c {
      case 48...57: return c - 48
      case 97...102: return c - 87
      case 65...70: return c - 55
      default: return nil
      }
    }
    var out = [UInt8]()
    out.reserveCapacity(raw.count / 2 - 1)
    var i = 2
    while i < raw.count {
      guard let h = nibble(raw[i]), let l = nibble(raw[i + 1]) else { return nil }
      out.append(h << 4 | l)
      i += 2
    }
    return out
  }
}

private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
  var copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
  defer { for p in copies { free(p) } }
  copies.append(nil)
  return copies.withUnsafeBufferPointer { buf in
    buf.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buf.count) { body($0) }
  }
}

private func withBufferPointers<R>(_ buffers: [[UInt8]], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
  var pointers: [UnsafeMutablePointer<CChar>?] = []
  pointers.reserveCapacity(buffers.count)
  for b in buffers {
    let p = UnsafeMutablePointer<CChar>.allocate(capacity: max(b.count, 1))
    b.withUnsafeBytes { raw in if raw.count > 0 { memcpy(p, raw.baseAddress!, raw.count) } }
    pointers.append(p)
  }
  defer {
    for (i, p) in pointers.enumerated() {
      if let p = p {
        memset(p, 0, max(buffers[i].count, 1))
        p.deallocate()
      }
    }
  }
  return pointers.withUnsafeBufferPointer { buf in
    buf.baseAddress.map {
      $0.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buf.count) { body($0) }
    } ?? body(nil)
  }
}
