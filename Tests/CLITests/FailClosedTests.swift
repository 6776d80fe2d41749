// ARCHITECTURE.md, Rules, "Fail closed": exit 0 from a check command means a code or
// token was checked and accepted, nothing else (help, lost arguments, output errors); a
// secret shown once is written and flushed before the change is committed; no core dumps;
// a clean environment for --deliver; MFACTL_NOW checked; writers are not starved by readers.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class FailClosedTests: CLITestCase {
  static let helpForms = ["--help", "-h", "-help", "--version", "--experimental-dump-help", "--help-hidden"]

  // MARK: Help never passes a check

  func testHelpAndVersionOnCheckCommandsExit64Anywhere() throws {
    try initKeyFileVault()
    let e = try enrol("alice", activate: false)
    let commands: [[String]] = [
      ["verify", "alice"], ["sessions", "check"], ["devices", "check", "alice"], ["recovery-codes", "use", "alice"],
      ["enrol", "alice", "--confirm"], ["users", "resync", "alice", "000000"],
    ]
    for c in commands {
      for h in Self.helpForms {
        // As an option, as the code or token, after `--`, and as the user name.
        var lines: [[String]] = [c + [h], c + ["--", h], [c[0]] + [h] + c.dropFirst()]
        if c.count > 1 && c[1] == "alice" { lines.append([c[0], "--", h]) }
        if c.count > 2 && c[2] == "alice" { lines.append([c[0], c[1], "--", h]) }
        for args in lines {
          for fast in [false, true] {
            let r = try run(args, env: ["MFACTL_NO_FAST_PATH": fast ? nil : "1"])
            assertExit(r, 64, "help on a check command must be a usage error: \(args)")
            XCTAssertEqual(r.stdout, "", "nothing on stdout for \(args)\n\(r)")
          }
        }
      }
    }
    // A real code still works, and none of the above touched the vault's state.
    assertExit(try run(["enrol", "alice", "--confirm", try totp(e.secret, at: now)]), 0)
    assertExit(try run(["verify", "alice", try totp(e.secret, at: now + 30)]), 0)
  }

  /// `-qh` is `-q -h` to ArgumentParser but no help flag to `MFACtl.main`'s first test,
  /// which only looks at whole arguments: the help that comes back must still be 64.
  func testCombinedShortHelpFlagsOnCheckCommandsExit64() throws {
    try initKeyFileVault()
    _ = try enrol("alice")
    for args in [
      ["verify", "alice", "-qh"], ["verify", "-hq", "alice", "123456"], ["sessions", "check", "-qh"],
      ["devices", "check", "alice", "-qh"], ["recovery-codes", "use", "alice", "-qh"],
    ] {
      for fast in [false, true] {
        let r = try run(args, env: ["MFACTL_NO_FAST_PATH": fast ? nil : "1"])
        assertExit(r, 64, "combined help flags on a check command: \(args)")
        XCTAssertEqual(r.stdout, "", "nothing on stdout for \(args)\n\(r)")
      }
    }
  }

  func testHelpElsewhereExitsZero() throws {
    for args in [
      ["help", "verify"], ["help", "sessions", "check"], ["--help"], ["-h"], ["--version"], ["help"],
      ["users", "list", "--help"], ["sessions", "--help"], ["enrol", "--help"], ["help", "enrol"],
      ["--generate-completion-script", "bash"], ["--experimental-dump-help"],
    ] {
      let r = try run(args)
      assertExit(r, 0, "\(args)")
      XCTAssertFalse(r.stdout.isEmpty, "help or version on stdout for \(args)")
    }
    XCTAssertTrue(try run(["help", "verify"]).stdout.contains("USAGE: mfactl verify"))
  }

  func testNoCommandOrNoSubcommandIs64() throws {
    for args in [
      [], ["sessions"], ["users"], ["devices"], ["audit"], ["vault"], ["backup"], ["recovery-codes"], ["challenge"],
    ] {
      let r = try run(args)
      assertExit(r, 64, "\(args)")
      XCTAssertEqual(r.stdout, "", "help for a usage error goes to stderr\n\(r)")
      XCTAssertTrue(r.stderr.contains("USAGE:"), "the help is printed\n\(r)")
    }
  }

  // MARK: Arguments without /proc

  /// Without /proc the Swift runtime cannot rebuild argv; mfactl reads it from the process.
  func testArgumentsAreReadWithoutProc() throws {
    guard getuid() == 0, let unshare = Binary.tool("unshare") else {
      throw XCTSkip("needs root and unshare(1) to hide /proc")
    }
    try initKeyFileVault()
    let e = try enrol("alice", activate: true)
    let bin = try binary()
    func hidden(_ args: [String]) throws -> RunResult {
      let script = "mount -t tmpfs none /proc && exec \"$@\""
      return try Running(
        executable: unshare, args: ["-m", "sh", "-c", script, "sh", bin] + args, stdin: nil,
        env: environment([:]), cwd: dir
      ).wait()
    }
    let probe = try hidden(["--version"])
    guard probe.code == 0 else { throw XCTSkip("cannot mount over /proc here: \(probe.stderr)") }
    assertExit(try hidden(["verify", "alice", "000000"]), 1, "a wrong code is still rejected")
    assertExit(try hidden(["verify", "alice", try totp(e.secret, at: now)]), 0, "a right code is still accepted")
    assertExit(try hidden([]), 64)
    assertExit(try hidden(["verify", "alice", "--help"]), 64)
  }

  // MARK: Output that cannot be written

  /// Runs mfactl with stdout on /dev/full.
  func runToFull(_ args: [String]) throws -> RunResult {
    try Running(
      executable: "/bin/sh", args: ["-c", "exec \"$0\" \"$@\" >/dev/full", try binary()] + args, stdin: nil,
      env: environment([:]), cwd: dir
    ).wait()
  }

  /// Runs mfactl with stdout on a pipe whose reading end is already closed (EPIPE).
  func runToClosedPipe(_ args: [String]) throws -> RunResult {
    var fds: [Int32] = [0, 0]
    XCTAssertEqual(pipe(&fds), 0)
    close(fds[0])
    defer { close(fds[1]) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: try binary())
    p.arguments = args
    p.environment = environment([:])
    p.currentDirectoryURL = URL(fileURLWithPath: dir)
    p.standardInput = FileHandle.nullDevice
    p.standardOutput = FileHandle(fileDescriptor: fds[1], closeOnDealloc: false)
    let err = Pipe()
    p.standardError = err
    try p.run()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    var code = p.terminationStatus
    if p.terminationReason == .uncaughtSignal { code = 128 + code }
    return RunResult(args: args, code: code, stdoutData: Data(), stderrData: errData, seconds: 0)
  }

  func state() -> [Data?] { [vaultState(), bytes(vault + ".audit"), bytes(vault + ".journal")] }

  func testSecretsShownOnceAreWrittenBeforeTheCommit() throws {
    try initKeyFileVault()
    let e = try enrol("alice", activate: true)
    let codes = try run(["recovery-codes", "generate", "alice"]).lines.filter { $0.contains("-") && $0.count == 11 }
    XCTAssertEqual(codes.count, 10)
    let cases: [[String]] = [
      ["recovery-codes", "generate", "alice"], ["sessions", "create", "alice"],
      ["devices", "trust", "alice", "--name", "laptop"], ["enrol", "alice"], ["enrol", "bob"],
      ["users", "export-uri", "alice", "--yes"], ["users", "export", "alice", "--format", "json"],
      ["challenge", "send", "alice"], ["audit", "export"], ["users", "list"], ["status"],
    ]
    for args in cases {
      for (how, runner) in [("/dev/full", runToFull), ("a closed pipe", runToClosedPipe)] {
        let before = state()
        let r = try runner(args)
        XCTAssertEqual(r.code, 74, "\(args) with stdout on \(how)\n\(r)")
        assertNoCrash(r)
        XCTAssertTrue(r.stderr.contains("cannot write to standard output"), "\(r)")
        XCTAssertEqual(state(), before, "\(args) with stdout on \(how) changed the vault")
      }
    }
    // verify with --session: the code is not used up when the token cannot be shown.
    let code = try totp(e.secret, at: now)
    let before = state()
    XCTAssertEqual(try runToFull(["verify", "alice", code, "--session"]).code, 74)
    XCTAssertEqual(state(), before)
    assertExit(try run(["verify", "alice", code, "--session"]), 0, "the code was not burnt by the failed output")
    // The old recovery codes still work: the failed generates voided nothing.
    assertExit(try run(["recovery-codes", "use", "alice", codes[0]]), 0)
    assertExit(try run(["users", "show", "bob"]), 67, "a failed enrol of a new user left no user")
  }

  func testOutputFileIsRemovedWhenTheCommitFails() throws {
    try initKeyFileVault()
    _ = try enrol("alice", activate: true)
    // Hold the lock: the commit cannot happen (75); the sheet must not stay behind.
    let sheet = dir + "/codes.txt"
    let holder = try Running(
      executable: Binary.tool("flock") ?? "/usr/bin/flock", args: ["-x", vault + ".lock", "sleep", "3"], stdin: nil,
      env: ProcessInfo.processInfo.environment, cwd: dir)
    usleep(300_000)
    let r = try run(["recovery-codes", "generate", "alice", "--output", sheet], env: ["MFACTL_LOCK_TIMEOUT": "0.5"])
    assertExit(r, 75)
    XCTAssertFalse(exists(sheet))
    _ = holder.wait()
  }

  // MARK: Process hardening

  /// No core file can hold a secret: RLIMIT_CORE 0 and not dumpable (/proc/PID files of
  /// a non-dumpable process belong to root, whoever runs it).
  func testNoCoreDumps() throws {
    guard getuid() == 0, let setpriv = Binary.tool("setpriv") else { throw XCTSkip("needs root and setpriv(1)") }
    var fds: [Int32] = [0, 0]
    XCTAssertEqual(pipe(&fds), 0)
    defer { close(fds[1]) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: setpriv)
    p.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", try binary(), "verify", "alice"]
    p.environment = environment([:])
    p.standardInput = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    defer {
      p.terminate()
      p.waitUntilExit()
    }
    // verify waits for the code on stdin: look at it while it does.
    let pid = p.processIdentifier
    var limits = ""
    var statusOwner: uid_t = 99
    for _ in 0..<200 {
      usleep(20_000)
      guard let comm = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8), comm.hasPrefix("mfactl")
      else {
        continue
      }
      usleep(100_000)
      limits = (try? String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)) ?? ""
      var st = stat()
      if stat("/proc/\(pid)/status", &st) == 0 { statusOwner = st.st_uid }
      break
    }
    let core = limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") } ?? ""
    XCTAssertEqual(
      core.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2), ["0", "0"], limits)
    XCTAssertEqual(statusOwner, 0, "a process running as uid 65534 that is not dumpable has /proc files owned by root")
  }

  func testDeliveryProgramGetsACleanEnvironment() throws {
    try initKeyFileVault()
    _ = try enrol("alice", activate: true)
    let out = dir + "/env.txt"
    try write(dir + "/deliver.sh", "#!/bin/sh\ncat >/dev/null\nenv > \(out)\ntrap > \(out).traps\n")
    chmod(dir + "/deliver.sh", 0o755)
    let r = try run(
      ["challenge", "send", "alice", "--deliver", dir + "/deliver.sh"],
      env: ["MFACTL_PASSPHRASE": "hunter2", "MFACTL_PASSPHRASE_FILE": "/x", "LD_PRELOAD": "", "SECRET_TOKEN": "t0p"])
    assertExit(r, 0)
    let env = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    XCTAssertTrue(env.contains("MFACTL_USER=alice"), env)
    XCTAssertTrue(env.contains("MFACTL_EXPIRES="), env)
    XCTAssertTrue(env.contains("PATH="), env)
    for bad in ["MFACTL_PASSPHRASE", "MFACTL_KEY_FILE", "MFACTL_VAULT", "MFACTL_NOW", "SECRET_TOKEN", "hunter2"] {
      XCTAssertFalse(env.contains(bad), "\(bad) reached the delivery program:\n\(env)")
    }
    // SIGPIPE is back to its default for the program (mfactl itself ignores it).
    let traps = (try? String(contentsOfFile: out + ".traps", encoding: .utf8)) ?? "?"
    XCTAssertFalse(traps.contains("PIPE"), traps)
  }

  // MARK: MFACTL_NOW

  func testInvalidClockOverrideIs64() throws {
    try initKeyFileVault()
    for bad in ["abc", "1.5", "-1", "99999999999999999999", "1700000000 ", "0x10", "253402300800"] {
      let r = try run(["users", "list"], env: ["MFACTL_NOW": bad])
      assertError(r, 64, contains: ["MFACTL_NOW"])
    }
    assertExit(try run(["users", "list"], env: ["MFACTL_NOW": ""]), 0, "empty counts as unset")
    assertExit(try run(["users", "list"], env: ["MFACTL_NOW": "0"]), 0)
  }

  // MARK: Lock fairness

  /// A reader that arrives while a writer waits goes after the writer.
  func testWaitingWriterGoesBeforeNewReaders() throws {
    try initKeyFileVault()
    _ = try enrol("alice", activate: true)
    guard let flock = Binary.tool("flock") else { throw XCTSkip("flock(1) missing") }
    let holder = try Running(
      executable: flock, args: ["-s", vault + ".lock", "sleep", "1.5"], stdin: nil,
      env: ProcessInfo.processInfo.environment, cwd: dir)
    usleep(300_000)
    let writer = try start(["users", "disable", "alice"])
    usleep(400_000)
    let reader = try start(["users", "list", "--format", "json"])
    let r = reader.wait()
    let w = writer.wait()
    _ = holder.wait()
    assertExit(w, 0)
    assertExit(r, 0)
    XCTAssertTrue(r.stdout.contains("\"disabled\""), "the reader saw the writer's change: it went after it\n\(r)")
  }

  // MARK: Text that reaches the log and terminals

  func testControlAndBidiCharactersInFlagsAre64() throws {
    try initKeyFileVault()
    let e = try enrol("alice")
    let bad = [
      "evil\n2026-12-02T00:00:00Z  #9  verify.success", "\u{1B}[31mred", "a\u{202E}b", "a\u{2066}b", "a\tb", "a\u{85}b",
    ]
    let before = state()
    for value in bad {
      for flag in ["--actor", "--ip", "--user-agent"] {
        for fast in [false, true] {
          let r = try run(
            ["verify", "alice", try totp(e.secret, at: now), flag, value],
            env: ["MFACTL_NO_FAST_PATH": fast ? nil : "1"])
          assertError(r, 64, contains: [flag])
          XCTAssertFalse(r.stderr.contains("\u{1B}"), "the message never echoes the character\n\(r)")
        }
        assertExit(try run(["users", "list", flag, value]), 64)
        assertExit(try run(["sessions", "create", "alice", flag, value]), 64)
      }
      assertExit(try run(["enrol", "bob", "--issuer", value]), 64)
      assertExit(try run(["enrol", "bob", "--label", value]), 64)
      assertExit(try run(["devices", "trust", "alice", "--name", value]), 64)
    }
    XCTAssertEqual(state(), before, "refused before anything was written")
    // A name from the environment is shown escaped: one event, one line.
    assertExit(try run(["users", "disable", "alice"], env: ["SUDO_USER": "x\ny\u{1B}[2J"]), 0)
    let list = try run(["audit", "list", "--limit", "1"])
    assertExit(list, 0)
    XCTAssertEqual(list.lines.count, 1, list.description)
    XCTAssertFalse(list.stdout.contains("\u{1B}"), list.description)
    XCTAssertTrue(list.stdout.contains("by x\\u{a}y"), list.description)
  }
}
