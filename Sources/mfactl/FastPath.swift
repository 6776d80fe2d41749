// Fast paths for the commands that sit in login paths: `verify` (PAM, web logins),
// `sessions check` and `devices check` (every request of a web app). Parsing with
// ArgumentParser costs 15-20M instructions there: it builds the whole command tree with
// dynamic casts, each scanning every protocol conformance in the static binary, about
// 10x the cost of the work itself (measured with callgrind, see bench/README.md).
//
// This parser only splits the command line: the global options by the one table of them
// (`GlobalOption`, into `Settings`), the command's own options and positionals as typed.
// The rules are the command's own: it builds the same validated input ArgumentParser's
// `validate` builds (`Verify.input`, `SessionsCheck.input`, `DevicesCheck.input`) and
// runs the same `execute`. Anything it cannot split (help, unknown or repeated options,
// `-x`) or that the rules refuse returns nil and goes through ArgumentParser as usual,
// so every error message and exit code still comes from one place.
// FastPathEquivalenceTests runs every command line shape generated from ArgumentParser's
// own description of these commands (--experimental-dump-help) through both parsers. `MFACTL_NO_FAST_PATH=1` disables it (the end-to-end tests run
// these commands both ways and compare).
import Accounts

enum FastPath {
  static var enabled: Bool { Env.get("MFACTL_NO_FAST_PATH") != "1" }

  // Plain arrays, searched linearly: a Set or Dictionary of String would cost a scan of
  // every protocol conformance in the binary on first use, on every run (bench/README.md).

  /// What a command takes besides the global options.
  struct Shape {
    var path: [String]
    var positionals: ClosedRange<Int>
    var valued: [String] = []
    var flags: [String] = []
  }

  /// A command line split by a `Shape`: the global options set in `settings`, the
  /// command's own as typed.
  struct Parsed {
    var settings = Settings()
    var positionals: [String] = []
    var valueList: [(name: String, value: String)] = []
    var flagList: [String] = []

    func value(_ name: String) -> String? {
      for (n, v) in valueList where n == name { return v }
      return nil
    }

    func flag(_ name: String) -> Bool {
      for f in flagList where f == name { return true }
      return false
    }
  }

  static func contains(_ list: [String], _ s: String) -> Bool {
    for x in list where x == s { return true }
    return false
  }

  /// Splits `args` as `shape`: options anywhere after the command path, as `--opt value`
  /// or `--opt=value`, `--` ending options; each option at most once. Nil for anything
  /// else (a value starting with `-` included, which ArgumentParser takes only for
  /// `--window`), and for a global option's value `Settings.set` refuses.
  static func parse(_ args: [String], _ shape: Shape) -> Parsed? {
    guard args.count >= shape.path.count, Array(args.prefix(shape.path.count)) == shape.path else { return nil }
    var p = Parsed()
    var seen: [String] = []
    var i = shape.path.count
    var optionsEnded = false
    while i < args.count {
      let a = args[i]
      i += 1
      if optionsEnded || !a.hasPrefix("-") || a == "-" {
        p.positionals.append(a)
        continue
      }
      if a == "--" {
        optionsEnded = true
        continue
      }
      var name = a
      var inline: String? = nil
      if let eq = a.firstIndex(of: "=") {
        name = String(a[..<eq])
        inline = String(a[a.index(after: eq)...])
      }
      guard !contains(seen, name) else { return nil }
      seen.append(name)
      let global = GlobalOption.named(name)
      if global?.isFlag == true || contains(shape.flags, name) {
        guard inline == nil else { return nil }
        if let g = global {
          guard p.settings.set(g, nil) else { return nil }
        } else {
          p.flagList.append(name)
        }
        continue
      }
      guard global != nil || contains(shape.valued, name) else { return nil }
      // As ArgumentParser splits: `--opt=` has no value, and an argument that looks like
      // an option (`-x`, `--`) is not taken as one.
      let value: String
      if let v = inline {
        guard !v.isEmpty else { return nil }
        value = v
      } else {
        guard i < args.count, !(args[i].hasPrefix("-") && args[i].count > 1) else { return nil }
        value = args[i]
        i += 1
      }
      if let g = global {
        guard p.settings.set(g, value) else { return nil }
      } else {
        p.valueList.append((name, value))
      }
    }
    guard shape.positionals.contains(p.positionals.count) else { return nil }
    return p
  }

  // MARK: The commands

  static let verifyShape = Shape(
    path: ["verify"], positionals: 1...2,
    valued: ["--window", "--ttl", "--idle", "--trust-device", "--device-ttl"],
    flags: ["--allow-recovery", "--session", "--remember"])

  static let sessionsCheckShape = Shape(path: ["sessions", "check"], positionals: 0...1)

  static let devicesCheckShape = Shape(path: ["devices", "check"], positionals: 1...2)

  /// `verify USER [CODE]` and its options, as `Verify.input` validates them; nil when
  /// the line does not split or the rules refuse it.
  static func parseVerify(_ args: [String]) -> MFACtl.Verify.Input? {
    guard let p = parse(args, verifyShape) else { return nil }
    var a = MFACtl.Verify.Arguments(user: p.positionals[0])
    a.code = p.positionals.count == 2 ? p.positionals[1] : nil
    if let w = p.value("--window") {
      // The conversion ArgumentParser applies to an `Int` option.
      guard let v = Int(argument: w) else { return nil }
      a.window = v
    }
    a.allowRecovery = p.flag("--allow-recovery")
    a.session = p.flag("--session")
    a.ttl = p.value("--ttl")
    a.idle = p.value("--idle")
    a.remember = p.flag("--remember")
    a.trustDevice = p.value("--trust-device")
    a.deviceTTL = p.value("--device-ttl")
    return try? MFACtl.Verify.input(a, settings: p.settings)
  }

  /// `sessions check [TOKEN]`, as `SessionsCheck.input` validates it.
  static func parseSessionsCheck(_ args: [String]) -> SessionsCheck.Input? {
    guard let p = parse(args, sessionsCheckShape) else { return nil }
    return try? SessionsCheck.input(token: p.positionals.first, settings: p.settings)
  }

  /// `devices check USER [TOKEN]`, as `DevicesCheck.input` validates it.
  static func parseDevicesCheck(_ args: [String]) -> DevicesCheck.Input? {
    guard let p = parse(args, devicesCheckShape) else { return nil }
    let token = p.positionals.count == 2 ? p.positionals[1] : nil
    return try? DevicesCheck.input(user: p.positionals[0], token: token, settings: p.settings)
  }

  /// Runs the command if `arguments` is a fast-path call; false when it is not one.
  static func run(_ arguments: [String]) throws -> Bool {
    guard enabled else { return false }
    if arguments == ["--version"] {
      Terminal.stdout(MFACtl.versionLine + "\n")
      return true
    }
    if let call = parseVerify(arguments) {
      try Report.catching { try MFACtl.Verify.execute(call) }
      return true
    }
    if let call = parseSessionsCheck(arguments) {
      try Report.catching { try SessionsCheck.execute(call) }
      return true
    }
    if let call = parseDevicesCheck(arguments) {
      try Report.catching { try DevicesCheck.execute(call) }
      return true
    }
    return false
  }
}
