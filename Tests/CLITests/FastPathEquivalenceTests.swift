import ArgumentParser
import Foundation
import XCTest

@testable import mfactl

/// The fast path (FastPath.swift) and ArgumentParser must read every command line of
/// `verify`, `sessions check` and `devices check` the same way. The lines are generated
/// from ArgumentParser's own description of each command (`--experimental-dump-help`,
/// taken in-process): every option and flag by each of its names, with and without `=`,
/// before, between and after the positionals, repeated, paired with every other one; `--`
/// in each place; unknown options; too few and too many positionals; the help and version
/// flags. For each line:
///
/// - a help or version request must be refused before either parser runs (`MFACtl.main`:
///   a check command exits 64 on them, never 0);
/// - when the fast path takes the line, ArgumentParser must accept it too and build the
///   same validated input (`Verify.input`, `SessionsCheck.input`, `DevicesCheck.input`);
/// - when ArgumentParser accepts it, the fast path must take it too, except for the few
///   shapes it leaves to ArgumentParser on purpose (a repeated option, a global option
///   before the command, a positional starting with `-`), which then run the slow way.
///
/// In-process: see `exhaustive` for what a run covers and costs.
final class FastPathEquivalenceTests: XCTestCase {
  /// One argument of a command, from the dump.
  struct Argument {
    var kind: String  // positional, option, flag
    var names: [String]  // as typed: "--vault", "-h"
    var isOptional: Bool
  }

  /// The arguments ArgumentParser describes for the command at `path`.
  func dump(_ path: [String]) throws -> [Argument] {
    var text = ""
    do {
      _ = try MFACtl.parseAsRoot(path + ["--experimental-dump-help"])
      XCTFail("\(path): --experimental-dump-help parsed as a command")
    } catch {
      text = MFACtl.fullMessage(for: error)
    }
    let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    let command = try XCTUnwrap(root["command"] as? [String: Any])
    XCTAssertEqual(command["commandName"] as? String, path.last)
    let arguments = try XCTUnwrap(command["arguments"] as? [[String: Any]])
    return arguments.map { a in
      let names = (a["names"] as? [[String: Any]] ?? []).compactMap { n -> String? in
        guard let name = n["name"] as? String, let kind = n["kind"] as? String else { return nil }
        return (kind == "long" ? "--" : "-") + name
      }
      return Argument(kind: a["kind"] as? String ?? "", names: names, isOptional: a["isOptional"] as? Bool ?? false)
    }
  }

  /// With MFACTL_TEST_EXHAUSTIVE=1 every option gets every value of `values` in every
  /// form, and every pair of options every pair of `pairValues` (some 4,600 lines, two
  /// and a half minutes). By default fewer (some 300 lines, about eight seconds): a debug
  /// build of ArgumentParser checks its own definitions on every parse, about 30 ms here.
  let exhaustive = ProcessInfo.processInfo.environment["MFACTL_TEST_EXHAUSTIVE"] == "1"

  /// A value each option takes (`v` for the free-text ones), like the positionals' samples.
  func sample(_ name: String) -> String {
    switch name {
    case "--format": return "json"
    case "--window": return "2"
    case "--ttl", "--device-ttl": return "2h"
    case "--idle": return "10m"
    case "--trust-device": return "laptop"
    default: return "v"
    }
  }
  let badValues = ["x", "21", "bad\u{1b}[31m"]
  let values = [
    "2", "0", "21", "-1", "x", "2h", "10m", "soon", "json", "xml", "text", "laptop", "", "/v", "a b", "bad\u{1b}[31m",
    "10.0.0.1", String(repeating: "d", count: 100),
  ]
  let pairValues = ["2", "2h", "json", "laptop"]

  /// Every generated line for the command at `path`, whose positionals are `samples`.
  /// `inDepth`: the global options get invalid values too (they are the same for every
  /// command, so one command's run covers them).
  func lines(_ path: [String], samples: [String], arguments: [Argument], inDepth: Bool) -> [[String]] {
    func isGlobal(_ a: Argument) -> Bool { a.names.contains { GlobalOption.named($0) != nil } }
    let positionalCount = arguments.filter { $0.kind == "positional" }.count
    XCTAssertEqual(positionalCount, samples.count, "\(path): positionals changed; update the samples")
    let options = arguments.filter { $0.kind == "option" }
    let flags = arguments.filter { $0.kind == "flag" }
    let first = Array(samples.prefix(1))
    let rest = Array(samples.dropFirst())
    var out: [[String]] = []

    // Positionals alone: too few, enough, too many; odd ones, `-`.
    for n in 0...(samples.count + 1) {
      out.append(path + Array((samples + ["extra"]).prefix(n)))
    }
    for odd in ["-", "-5", "bad name", "", String(repeating: "a", count: 65)] {
      out.append(path + [odd] + rest)
      out.append(path + first + [odd])
    }
    // `--` in every place.
    for k in 0...samples.count {
      out.append(path + samples.prefix(k) + ["--"] + samples.dropFirst(k))
    }
    out.append(path + ["--", "-5"] + rest)
    out.append(path + samples + ["--", "--quiet"])
    out.append(path + ["--"] + samples + ["--"])
    // Unknown options and odd dashes.
    for odd in ["--bogus", "--bogus=1", "-x", "---", "--=x", "-qh"] {
      out.append(path + samples + [odd])
    }
    out.append(path + ["--bogus"] + samples)
    // Global options before the command.
    out.append(["--format", "json"] + path + samples)
    out.append(["--vault", "/v"] + path + samples)

    // Each option by each name: after the positionals with its sample and with invalid
    // values, and without its value. The forms that test the splitting itself (before
    // and between the positionals, `--o=v`, a value that looks like an option, `--o=`,
    // repeated) for every option when exhaustive, else for the first global option and
    // the command's first own one.
    let own = (options + flags).filter { a in
      !a.names.contains { GlobalOption.named($0) != nil || MFACtl.isBuiltInFlag($0) }
    }
    let splitting =
      exhaustive
      ? options + flags
      : [options.first, own.first { $0.kind == "option" }, flags.first, own.first { $0.kind == "flag" }].compactMap {
        $0
      }
    for o in options {
      let every = exhaustive || splitting.contains { $0.names == o.names }
      for name in o.names {
        let good = sample(name)
        for v in exhaustive ? values + [good] : [good] + (inDepth || !isGlobal(o) ? badValues : []) {
          out.append(path + samples + [name, v])
          if every {
            out.append(path + [name, v] + samples)
            out.append(path + first + [name, v] + rest)
            out.append(path + samples + [name + "=" + v])
          }
        }
        out.append(path + samples + [name])
        if every {
          out.append(path + samples + [name, "-1"])
          out.append(path + samples + [name + "="])
          out.append(path + samples + [name, good, name, good])
        }
      }
    }
    // Each flag by each name (help and version flags are in the dump too); before,
    // between, repeated and with a value it must not take as above.
    for f in flags {
      let every = exhaustive || splitting.contains { $0.names == f.names }
      for name in f.names {
        out.append(path + samples + [name])
        if every {
          out.append(path + [name] + samples)
          out.append(path + first + [name] + rest)
          out.append(path + samples + [name, name])
          if name.hasPrefix("--") { out.append(path + samples + [name + "=yes"]) }
        }
      }
    }
    for builtIn in ["-help", "--help-hidden", "--version", "--experimental-dump-help", "--help=x"] {
      out.append(path + samples + [builtIn])
    }
    // Pairs of options and flags (by their first name): every pair and every pair of
    // values when exhaustive; else every pair of the command's own (where the rules
    // between options are), each with its sample.
    let paired = exhaustive ? options + flags : own
    let named = paired.compactMap { a in a.names.first.map { (name: $0, flag: a.kind == "flag") } }
    for (i, a) in named.enumerated() {
      for b in named[(i + 1)...] {
        for va in (a.flag ? [nil] : (exhaustive ? pairValues : [sample(a.name)]).map { Optional($0) }) {
          for vb in (b.flag ? [nil] : (exhaustive ? pairValues : [sample(b.name)]).map { Optional($0) }) {
            out.append(path + samples + [a.name] + (va.map { [$0] } ?? []) + [b.name] + (vb.map { [$0] } ?? []))
          }
        }
      }
    }
    // All of the command's own options at once.
    out.append(
      path + samples + own.flatMap { a in a.names.prefix(1).flatMap { a.kind == "flag" ? [$0] : [$0, sample($0)] } })
    return out
  }

  /// Shapes the fast path leaves to ArgumentParser even when ArgumentParser accepts them.
  func leftToArgumentParser(_ args: [String], path: [String]) -> Bool {
    guard Array(args.prefix(path.count)) == path else { return true }  // options before the command
    var seen: [String] = []
    var optionsEnded = false
    for a in args.dropFirst(path.count) {
      if optionsEnded { continue }
      if a == "--" {
        optionsEnded = true
        continue
      }
      guard a.hasPrefix("-"), a != "-" else { continue }
      let name = String(a.prefix { $0 != "=" })
      if seen.contains(name) { return true }  // repeated
      seen.append(name)
      if !name.hasPrefix("--") { return true }  // `-1` as a value, or a short name
      if name != a && GlobalOption.named(name)?.isFlag == true { return true }  // `--quiet=`
    }
    return false
  }

  enum Outcome: Equatable {
    case input(String)
    case refused
    case help
  }

  /// What ArgumentParser makes of `args`: `command` parsed as the root when the line
  /// starts with `path` (the same parse as from mfactl's root, checked below on a
  /// sample, and five times cheaper), else mfactl's root.
  func slowOutcome(
    _ args: [String], path: [String], command: ParsableCommand.Type, fullRoot: Bool,
    input: (ParsableCommand) throws -> String?
  )
    -> Outcome
  {
    do {
      let parsed =
        fullRoot || Array(args.prefix(path.count)) != path
        ? try MFACtl.parseAsRoot(args) : try command.parseAsRoot(Array(args.dropFirst(path.count)))
      guard let s = try input(parsed) else { return .help }  // HelpCommand (`-qh`)
      return .input(s)
    } catch {
      return MFACtl.exitCode(for: error) == .success ? .help : .refused
    }
  }

  /// Runs every generated line of the command at `path` through both parsers.
  /// `fast` is the fast path's parser; `slow` turns ArgumentParser's command into the
  /// validated input (as its `run` does); both give the input's description.
  func check(
    _ path: [String], _ command: ParsableCommand.Type, samples: [String], fast: ([String]) -> String?,
    slow: (ParsableCommand) throws -> String?
  ) throws {
    let arguments = try dump(path)
    XCTAssertTrue(arguments.contains { $0.names.contains("--vault") }, "\(path): the dump has no global options")
    var counts = (lines: 0, same: 0, refusedByBoth: 0, help: 0, leftToArgumentParser: 0)
    for (n, args) in lines(path, samples: samples, arguments: arguments, inDepth: path == ["verify"]).enumerated() {
      counts.lines += 1
      // MFACtl.main refuses these (64) before either parser runs.
      if MFACtl.isCheckCommand(args) && args.contains(where: MFACtl.isBuiltInFlag) {
        XCTAssertNil(fast(args), "\(args): a help or version flag reached the fast path")
        counts.help += 1
        continue
      }
      let f = fast(args)
      let s = slowOutcome(args, path: path, command: command, fullRoot: false, input: slow)
      if n % 40 == 0 {
        XCTAssertEqual(
          s, slowOutcome(args, path: path, command: command, fullRoot: true, input: slow), "\(args): root parse differs"
        )
      }
      switch (f, s) {
      case (_, .help):
        // Help on a check command is a usage error (64) in MFACtl.main, never exit 0.
        XCTAssertTrue(MFACtl.isCheckCommand(args), "\(args): help without the check command refusing it")
        XCTAssertNil(f, "\(args): the fast path took a help request")
        counts.help += 1
      case (let f?, .input(let s)):
        XCTAssertEqual(f, s, "\(args): the fast path built another input")
        counts.same += 1
      case (let f?, .refused):
        XCTFail("\(args): the fast path took a line ArgumentParser refuses: \(f)")
      case (nil, .input):
        XCTAssertTrue(leftToArgumentParser(args, path: path), "\(args): a valid call missed the fast path")
        counts.leftToArgumentParser += 1
      case (nil, .refused):
        counts.refusedByBoth += 1
      }
    }
    print("\(path.joined(separator: " ")): \(counts)")  // what the run covered
    // The generator must reach every outcome, or it tests less than it seems to.
    XCTAssertGreaterThan(counts.same, 20, "\(path): \(counts)")
    XCTAssertGreaterThan(counts.refusedByBoth, 20, "\(path): \(counts)")
    XCTAssertGreaterThan(counts.help, 5, "\(path): \(counts)")
  }

  func testVerifyLinesGiveTheSameInput() throws {
    try check(
      ["verify"], MFACtl.Verify.self, samples: ["alice", "123456"], fast: { FastPath.parseVerify($0).map { "\($0)" } },
      slow: { c in
        try (c as? MFACtl.Verify).map { "\(try MFACtl.Verify.input($0.arguments, settings: $0.options.settings))" }
      })
  }

  func testSessionsCheckLinesGiveTheSameInput() throws {
    try check(
      ["sessions", "check"], SessionsCheck.self, samples: ["mfas_x"],
      fast: { FastPath.parseSessionsCheck($0).map { "\($0)" } },
      slow: { c in
        try (c as? SessionsCheck).map { "\(try SessionsCheck.input(token: $0.token, settings: $0.options.settings))" }
      })
  }

  func testDevicesCheckLinesGiveTheSameInput() throws {
    try check(
      ["devices", "check"], DevicesCheck.self, samples: ["alice", "mfad_x"],
      fast: { FastPath.parseDevicesCheck($0).map { "\($0)" } },
      slow: { c in
        try (c as? DevicesCheck).map {
          "\(try DevicesCheck.input(user: $0.user, token: $0.token, settings: $0.options.settings))"
        }
      })
  }

  /// The fast path's global options are ArgumentParser's, by the same table.
  func testGlobalOptionsTableMatchesArgumentParser() throws {
    let dumped = try dump(["verify"]).filter { $0.kind != "positional" }.flatMap(\.names)
    for o in GlobalOption.all {
      XCTAssertTrue(dumped.contains("--" + o.long), "--\(o.long) is not an option of verify")
    }
    for name in FastPath.verifyShape.valued + FastPath.verifyShape.flags {
      XCTAssertTrue(dumped.contains(name), "the fast path splits \(name), which verify does not take")
    }
  }
}
