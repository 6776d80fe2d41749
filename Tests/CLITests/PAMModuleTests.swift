// The PAM module pam_mfactl.so (pam/pam_mfactl.c, pam_mfactl(8), docs/pam.md) in real PAM
// stacks driven by pamtester.
//
// As root only (the stacks are service files /etc/pam.d/mfactl-module-test-<random>,
// removed in tearDown, also after a failure); skipped otherwise. The module is built once
// per run with the Makefile's own rule (`make pam PAM_MODULE=<temp>`), so its -Werror flags
// are checked too, next to two small helpers compiled with cc:
// - pam_settok.so, a test module that sets PAM_AUTHTOK (`tok=`) or requires it to equal
//   a value (`expect=`): the "earlier module" of use_first_pass and the "password module"
//   after forward_pass;
// - fake-mfactl, which records its argv, environment, open descriptors, signal state and
//   stdin, then exits as told (a code, a signal, or hangs): what the module hands mfactl
//   and how it maps every outcome;
// - pam-host, a PAM application with a SIGCHLD handler that reaps any child (as some
//   daemons have): the module must still get its own child's exit status.
// The tests with the real binary run it the way sshd would: empty environment, so no
// MFACTL_NOW; their codes are HOTP codes computed by oathtool.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class PAMModuleTests: PAMTestCase {
  // MARK: Building the module and the helpers

  struct Built {
    var dir: String
    var module: String
    var settok: String
    var fake: String
    var host: String
    /// The module built with PREFIX=dir/prefix, whose default mfactl is the fake's copy there.
    var prefixed: String
    var prefix: String { dir + "/prefix" }
    var record: String { dir + "/record.txt" }
    var mode: String { dir + "/mode" }
  }

  static let root: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  static let built: Result<Built, Binary.Failure> = build()

  static let settokSource = #"""
    #include <security/pam_modules.h>
    #include <string.h>
    __attribute__((visibility("default"))) int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv) {
      (void)flags;
      for (int i = 0; i < argc; i++) {
        if (strncmp(argv[i], "tok=", 4) == 0) {
          if (pam_set_item(pamh, PAM_AUTHTOK, argv[i] + 4) != PAM_SUCCESS) return PAM_SYSTEM_ERR;
        } else if (strncmp(argv[i], "expect=", 7) == 0) {
          const void *tok = NULL;
          if (pam_get_item(pamh, PAM_AUTHTOK, &tok) != PAM_SUCCESS || tok == NULL || strcmp(tok, argv[i] + 7) != 0)
            return PAM_AUTH_ERR;
        }
      }
      return PAM_SUCCESS;
    }
    __attribute__((visibility("default"))) int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv) {
      (void)pamh; (void)flags; (void)argc; (void)argv;
      return PAM_SUCCESS;
    }
    """#

  static let fakeSource = #"""
    #include <dirent.h>
    #include <signal.h>
    #include <stdio.h>
    #include <stdlib.h>
    #include <string.h>
    #include <unistd.h>
    extern char **environ;
    int main(int argc, char **argv) {
      FILE *f = fopen(OUT "/record.txt", "w");
      if (f == NULL) return 99;
      for (int i = 0; i < argc; i++) fprintf(f, "arg %s\n", argv[i]);
      for (char **e = environ; *e != NULL; e++) fprintf(f, "env %s\n", *e);
      DIR *d = opendir("/proc/self/fd");
      struct dirent *de;
      while (d != NULL && (de = readdir(d)) != NULL) {
        int fd = atoi(de->d_name);
        if (de->d_name[0] != '.' && fd != dirfd(d) && fd != fileno(f)) fprintf(f, "fd %d\n", fd);
      }
      if (d != NULL) closedir(d);
      struct sigaction sa;
      sigaction(SIGPIPE, NULL, &sa);
      fprintf(f, "sigpipe %s\n", sa.sa_handler == SIG_DFL ? "default" : "not default");
      sigset_t mask;
      sigprocmask(SIG_SETMASK, NULL, &mask);
      fprintf(f, "sigchld %s\n", sigismember(&mask, SIGCHLD) ? "blocked" : "unblocked");
      char in[512];
      ssize_t n = read(0, in, sizeof in - 1);
      in[n > 0 ? n : 0] = '\0';
      fprintf(f, "stdin %s<end>\n", in);
      fclose(f);
      char mode[32] = "0";
      FILE *m = fopen(OUT "/mode", "r");
      if (m != NULL) {
        if (fgets(mode, sizeof mode, m) == NULL) strcpy(mode, "0");
        fclose(m);
      }
      if (strncmp(mode, "hang", 4) == 0) for (;;) pause();
      if (strncmp(mode, "noisy", 5) == 0) {
        // More than a pipe holds, on both streams, then a normal answer.
        for (int i = 0; i < 4000; i++) {
          printf("line %d of standard output, long enough to fill a pipe quickly\n", i);
          fprintf(stderr, "line %d of standard error, long enough to fill a pipe quickly\n", i);
        }
        return 0;
      }
      if (strncmp(mode, "signal", 6) == 0) raise(SIGTERM);
      return atoi(mode);
    }
    """#

  /// pam-host SERVICE USER CODE: authenticates with CODE as every answer, while a SIGCHLD
  /// handler reaps every child it can; prints pam_strerror's text and how many it reaped.
  static let hostSource = #"""
    #include <security/pam_appl.h>
    #include <signal.h>
    #include <stdio.h>
    #include <stdlib.h>
    #include <string.h>
    #include <sys/wait.h>
    static volatile sig_atomic_t reaped = 0;
    static void on_child(int sig) {
      (void)sig;
      int status;
      while (waitpid(-1, &status, WNOHANG) > 0) reaped++;
    }
    static const char *answer;
    static int conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data) {
      (void)msg; (void)data;
      struct pam_response *r = calloc((size_t)n, sizeof *r);
      if (r == NULL) return PAM_BUF_ERR;
      for (int i = 0; i < n; i++) r[i].resp = strdup(answer);
      *resp = r;
      return PAM_SUCCESS;
    }
    int main(int argc, char **argv) {
      if (argc != 4) return 64;
      struct sigaction sa;
      memset(&sa, 0, sizeof sa);
      sa.sa_handler = on_child;
      sa.sa_flags = SA_RESTART;
      sigaction(SIGCHLD, &sa, NULL);
      answer = argv[3];
      struct pam_conv c = {conv, NULL};
      pam_handle_t *h = NULL;
      if (pam_start(argv[1], argv[2], &c, &h) != PAM_SUCCESS) return 70;
      int rc = pam_authenticate(h, 0);
      printf("%s\nreaped by the host: %d\n", pam_strerror(h, rc), (int)reaped);
      pam_end(h, rc);
      return rc == PAM_SUCCESS ? 0 : 1;
    }
    """#

  private static func build() -> Result<Built, Binary.Failure> {
    let dir = NSTemporaryDirectory() + "mfactl-pam-module-" + UUID().uuidString.prefix(8).lowercased()
    let b = Built(
      dir: dir, module: dir + "/pam_mfactl.so", settok: dir + "/pam_settok.so", fake: dir + "/fake-mfactl",
      host: dir + "/pam-host", prefixed: dir + "/pam_mfactl_prefixed.so")
    do {
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
      try settokSource.write(toFile: dir + "/pam_settok.c", atomically: true, encoding: .utf8)
      try fakeSource.write(toFile: dir + "/fake.c", atomically: true, encoding: .utf8)
      try hostSource.write(toFile: dir + "/host.c", atomically: true, encoding: .utf8)
    } catch {
      return .failure(Binary.Failure(description: "cannot write to \(dir): \(error)"))
    }
    let steps: [[String]] = [
      ["make", "-s", "-C", root, "pam", "PAM_MODULE=\(b.module)"],
      [
        "cc", "-shared", "-fPIC", "-O2", "-Wall", "-Werror", "-fvisibility=hidden", "-o", b.settok,
        dir + "/pam_settok.c", "-lpam",
      ],
      ["cc", "-O2", "-Wall", "-Werror", "-DOUT=\"\(dir)\"", "-o", b.fake, dir + "/fake.c"],
      ["cc", "-O2", "-Wall", "-Werror", "-o", b.host, dir + "/host.c", "-lpam"],
      ["make", "-s", "-C", root, "pam", "PREFIX=\(b.prefix)", "PAM_MODULE=\(b.prefixed)"],
      ["install", "-D", "-m", "0755", b.fake, b.prefix + "/bin/mfactl"],
    ]
    for step in steps {
      guard
        let r = try? Running(
          executable: "/usr/bin/env", args: step, stdin: nil, env: ProcessInfo.processInfo.environment, cwd: root
        ).wait(timeout: 300)
      else { return .failure(Binary.Failure(description: "cannot run \(step[0])")) }
      if r.code != 0 {
        return .failure(Binary.Failure(description: "\(step.joined(separator: " ")) failed:\n\(r.stdout)\(r.stderr)"))
      }
    }
    return .success(b)
  }

  /// Root, pamtester, and the module built; else skipped (not root) or failed.
  func prerequisites(file: StaticString = #filePath, line: UInt = #line) throws -> (String, Built) {
    guard geteuid() == 0 else {
      throw XCTSkip("PAM module test needs root (it writes /etc/pam.d/mfactl-module-test-*)")
    }
    guard let pamtester = Binary.tool("pamtester") else {
      XCTFail("pamtester is not installed (make deps installs it)", file: file, line: line)
      throw Binary.Failure(description: "pamtester missing")
    }
    switch Self.built {
    case .success(let b): return (pamtester, b)
    case .failure(let f):
      XCTFail(f.description, file: file, line: line)
      throw f
    }
  }

  // MARK: Stacks and runs

  /// Writes this test's PAM service with these auth lines (`MODULE` stands for the
  /// module's path, `SETTOK` for pam_settok.so's) and `account required pam_permit.so`.
  func stack(_ auth: [String], _ b: Built) throws {
    if service.isEmpty { service = "mfactl-module-test-" + UUID().uuidString.prefix(8).lowercased() }
    let path = "/etc/pam.d/" + service
    let lines = auth.map {
      $0.replacingOccurrences(of: "MODULE", with: b.module).replacingOccurrences(of: "SETTOK", with: b.settok)
    }
    serviceFile = path
    try write(
      path,
      (["# written by mfactl's PAMModuleTests; removed when the test ends"] + lines + ["account required pam_permit.so"])
        .joined(separator: "\n") + "\n")
  }

  /// The module's options for the real binary, vault and key file of this test.
  func realOptions() throws -> String {
    "mfactl=\(try binary()) vault=\(vault) key_file=\(keyFile)"
  }

  // pam_strerror's texts, as pamtester prints them.
  static let success = "successfully authenticated"
  static let authErr = "Authentication failure"
  static let maxTries = "Have exhausted maximum number of retries for service"
  static let userUnknown = "User not known to the underlying authentication module"
  static let unavailable = "Authentication service cannot retrieve authentication info"
  static let serviceErr = "Error in service module"

  func assertResult(
    _ r: RunResult, _ expected: String, _ message: String, file: StaticString = #filePath, line: UInt = #line
  ) {
    let all = r.stdout + r.stderr
    XCTAssertTrue(all.contains(expected), "\(message): expected \"\(expected)\"\n\(r)", file: file, line: line)
    if expected == Self.success {
      XCTAssertEqual(r.code, 0, "\(message)\n\(r)", file: file, line: line)
    } else {
      XCTAssertNotEqual(r.code, 0, "\(message)\n\(r)", file: file, line: line)
    }
  }

  func prompted(_ r: RunResult, _ prompt: String = "Verification code: ") -> Bool {
    (r.stdout + r.stderr).contains(prompt)
  }

  /// A key-file vault with `user` enrolled (HOTP, active); returns the secret.
  func hotpUser(_ user: String, digits: Int = 6) throws -> String {
    if !exists(vault) { try initKeyFileVault() }
    return try enrol(user, ["--type", "hotp", "--digits", String(digits), "--qr", "none"]).secret
  }

  /// The fake's record of its last run (nil when it did not run), as lines.
  func record(_ b: Built) -> [String]? {
    guard let d = bytes(b.record) else { return nil }
    return String(decoding: d, as: UTF8.self).components(separatedBy: "\n").filter { !$0.isEmpty }
  }

  func resetFake(_ b: Built, mode: String) throws {
    try? FileManager.default.removeItem(atPath: b.record)
    try write(b.mode, mode)
  }

  // MARK: With the real mfactl

  func testRightWrongAndReplayedCodes() throws {
    let (pamtester, b) = try prerequisites()
    let s = try hotpUser("alice")
    try stack(["auth required MODULE \(try realOptions())"], b)
    let codes = try (0...12).map { try hotp(s, counter: UInt64($0)) }

    // The right code: accepted, and setcred succeeds with the module alone in the stack.
    var r = try pam(pamtester, "alice", codes[0], ops: ["authenticate", "setcred"], items: ["rhost=203.0.113.7"])
    assertResult(r, Self.success, "right code")
    XCTAssertTrue(r.stdout.contains("credential info has successfully been set"), "setcred\n\(r)")
    XCTAssertTrue(prompted(r), "no 'Verification code: ' prompt\n\(r)")
    let ok = try auditEvents(limit: 5).first { ($0["event"] as? String) == "verify.success" }
    XCTAssertEqual(ok?["actor"] as? String, "pam:\(service)", "actor= defaults to pam:SERVICE")
    XCTAssertEqual(ok?["ip"] as? String, "203.0.113.7", "PAM_RHOST goes to --ip")

    // The same code again (replay), and a wrong one: PAM_AUTH_ERR, both counted.
    assertResult(try pam(pamtester, "alice", codes[0]), Self.authErr, "replayed code")
    XCTAssertEqual(try auditEvents(limit: 1).first?["event"] as? String, "verify.replay")
    assertResult(try pam(pamtester, "alice", wrongCode(not: codes)), Self.authErr, "wrong code")
    XCTAssertEqual(try auditEvents(limit: 1).first?["event"] as? String, "verify.failure")
    // A typo that is not even digits is a wrong code too, and counted.
    assertResult(try pam(pamtester, "alice", "12x456"), Self.authErr, "malformed code")
    XCTAssertEqual(try failures("alice"), 3)
    for e in try auditEvents() {
      XCTAssertFalse("\(e)".contains(codes[0]), "the code appears in the audit log: \(e)")
    }

    // The next code works, and a prompt given in brackets (with spaces) is shown as is.
    try stack(["auth required MODULE \(try realOptions()) [prompt=Your code, please: ] actor=ssh-gate"], b)
    r = try pam(pamtester, "alice", codes[1])
    assertResult(r, Self.success, "next code")
    XCTAssertTrue(prompted(r, "Your code, please: "), "the bracketed prompt\n\(r)")
    XCTAssertEqual(try auditEvents(limit: 1).first?["actor"] as? String, "ssh-gate")
    XCTAssertEqual(try failures("alice"), 0)
  }

  func testLockedUserGetsMaxTries() throws {
    let (pamtester, b) = try prerequisites()
    let s = try hotpUser("bob")
    try stack(["auth required MODULE \(try realOptions())"], b)
    let codes = try (0...12).map { try hotp(s, counter: UInt64($0)) }
    for i in 1...5 {
      assertResult(try pam(pamtester, "bob", wrongCode(not: codes)), Self.authErr, "wrong code \(i)")
    }
    // A valid, unused code while locked: mfactl exits 2, the module PAM_MAXTRIES.
    assertResult(try pam(pamtester, "bob", codes[0]), Self.maxTries, "locked user")
    XCTAssertEqual(try auditEvents(limit: 1).first?["event"] as? String, "verify.locked")
    assertExit(try run(["users", "unlock", "bob"]), 0)
    assertResult(try pam(pamtester, "bob", codes[0]), Self.success, "the same code after unlock")
  }

  func testUnknownUserWithAndWithoutNullok() throws {
    let (pamtester, b) = try prerequisites()
    let s = try hotpUser("carol")
    let code = try hotp(s, counter: 0)
    try stack(["auth required MODULE \(try realOptions())", "auth required pam_permit.so"], b)
    var r = try pam(pamtester, "mallory", code)
    assertResult(r, Self.userUnknown, "unknown user")
    XCTAssertTrue(prompted(r), "an unknown user is asked for a code like anyone else\n\(r)")

    // nullok: PAM_IGNORE, so pam_permit decides for a user who is not enrolled...
    try stack(["auth required MODULE \(try realOptions()) nullok", "auth required pam_permit.so"], b)
    assertResult(try pam(pamtester, "mallory", code), Self.success, "unknown user with nullok")
    // ...but not for an enrolled one with a wrong code,
    assertResult(try pam(pamtester, "carol", wrongCode(not: [code])), Self.authErr, "enrolled user with nullok")
    // and never when the vault is missing.
    try stack(
      [
        "auth required MODULE mfactl=\(try binary()) vault=\(dir)/none.mfa key_file=\(keyFile) nullok",
        "auth required pam_permit.so",
      ], b)
    assertResult(try pam(pamtester, "mallory", code), Self.unavailable, "missing vault with nullok")

    // Names mfactl refuses never reach it (no prompt either).
    try stack(["auth required MODULE \(try realOptions())"], b)
    let before = try auditEvents().count
    for bad in ["al ice", "alice;id", String(repeating: "a", count: 65)] {
      r = try pam(pamtester, bad, code)
      assertResult(r, Self.userUnknown, "user name \(bad)")
      XCTAssertFalse(prompted(r), "prompted for \(bad)\n\(r)")
    }
    XCTAssertEqual(try auditEvents().count, before, "a refused name reached mfactl")
  }

  func testFirstPassOptions() throws {
    let (pamtester, b) = try prerequisites()
    let s = try hotpUser("dave")
    let codes = try (0...12).map { try hotp(s, counter: UInt64($0)) }
    let opts = try realOptions()

    // use_first_pass after a module that set PAM_AUTHTOK: no prompt, the token is the code.
    try stack(["auth required SETTOK tok=\(codes[0])", "auth required MODULE \(opts) use_first_pass"], b)
    var r = try pam(pamtester, "dave", nil)
    assertResult(r, Self.success, "use_first_pass with a token")
    XCTAssertFalse(prompted(r), "use_first_pass prompted\n\(r)")
    // try_first_pass with a token: the same.
    try stack(["auth required SETTOK tok=\(codes[1])", "auth required MODULE \(opts) try_first_pass"], b)
    r = try pam(pamtester, "dave", nil)
    assertResult(r, Self.success, "try_first_pass with a token")
    XCTAssertFalse(prompted(r), "try_first_pass prompted although a token was set\n\(r)")

    // No token: use_first_pass fails without prompting or running mfactl...
    try stack(["auth required MODULE \(opts) use_first_pass"], b)
    let before = try auditEvents().count
    r = try pam(pamtester, "dave", codes[2])
    assertResult(r, Self.authErr, "use_first_pass without a token")
    XCTAssertFalse(prompted(r), "use_first_pass prompted\n\(r)")
    XCTAssertEqual(try auditEvents().count, before, "mfactl ran without a code")
    // ...and try_first_pass prompts.
    try stack(["auth required MODULE \(opts) try_first_pass"], b)
    r = try pam(pamtester, "dave", codes[2])
    assertResult(r, Self.success, "try_first_pass without a token")
    XCTAssertTrue(prompted(r), "try_first_pass did not prompt\n\(r)")
  }

  func testForwardPassHandsThePasswordOn() throws {
    let (pamtester, b) = try prerequisites()
    let s6 = try hotpUser("erin")
    let s8 = try hotpUser("frank", digits: 8)
    let opts = try realOptions()
    let codes = try (0...12).map { try hotp(s6, counter: UInt64($0)) }

    // Password and code in one answer; the password module after it sees the password only.
    try stack(["auth requisite MODULE \(opts) forward_pass", "auth required SETTOK expect=hunter2"], b)
    var r = try pam(pamtester, "erin", "hunter2" + codes[0])
    assertResult(r, Self.success, "password + code")
    XCTAssertTrue(prompted(r, "Password & verification code: "), "forward_pass prompt\n\(r)")
    // A wrong password after a right code: the password module refuses it.
    assertResult(try pam(pamtester, "erin", "hunter3" + codes[1]), Self.authErr, "wrong password")
    // A wrong code: refused by the module.
    assertResult(try pam(pamtester, "erin", "hunter2" + wrongCode(not: codes)), Self.authErr, "wrong code")
    XCTAssertEqual(try failures("erin"), 1)
    // An answer that does not end in a code never reaches mfactl.
    let before = try auditEvents().count
    assertResult(try pam(pamtester, "erin", "hunter2abc"), Self.authErr, "no code")
    assertResult(try pam(pamtester, "erin", "12345"), Self.authErr, "too short")
    XCTAssertEqual(try auditEvents().count, before, "mfactl ran without a code")

    // An 8-digit authenticator and a password ending in digits: the trailing 6 digits are
    // tried first (a wrong code), then the trailing 8.
    try stack(["auth requisite MODULE \(opts) forward_pass", "auth required SETTOK expect=pw12"], b)
    r = try pam(pamtester, "frank", "pw12" + (try hotp(s8, counter: 0, digits: 8)))
    assertResult(r, Self.success, "8-digit code after a password ending in digits")
    XCTAssertEqual(try failures("frank"), 0, "success resets the failure the 6-digit try counted")

    // forward_pass with use_first_pass splits PAM_AUTHTOK the same way.
    try stack(
      [
        "auth required SETTOK tok=hunter2\(codes[2])", "auth requisite MODULE \(opts) forward_pass use_first_pass",
        "auth required SETTOK expect=hunter2",
      ], b)
    assertResult(try pam(pamtester, "erin", nil), Self.success, "forward_pass use_first_pass")
  }

  func testMissingBinaryVaultOrKeyFileIsUnavailable() throws {
    let (pamtester, b) = try prerequisites()
    let s = try hotpUser("gina")
    let code = try hotp(s, counter: 0)
    let cases = [
      "mfactl=\(dir)/no-such-mfactl vault=\(vault) key_file=\(keyFile)",
      "mfactl=\(try binary()) vault=\(dir)/no-such.mfa key_file=\(keyFile)",
      "mfactl=\(try binary()) vault=\(vault) key_file=\(dir)/no-such.key",
      "mfactl=\(try binary()) vault=\(vault) key_file=\(vault)",  // not the key: unlock fails (77)
    ]
    for (i, c) in cases.enumerated() {
      try stack(["auth required MODULE \(c) nullok"], b)
      assertResult(try pam(pamtester, "gina", code), Self.unavailable, "case \(i): \(c)")
    }
    // Configuration errors: PAM_SERVICE_ERR, before any prompt.
    for c in ["no_such_option", "timeout=0", "timeout=x", "mfactl=relative/mfactl"] {
      try stack(["auth required MODULE \(try realOptions()) \(c)"], b)
      let r = try pam(pamtester, "gina", code)
      assertResult(r, Self.serviceErr, c)
      XCTAssertFalse(prompted(r), "\(c): prompted\n\(r)")
    }
    // The code was never used up by any of that.
    try stack(["auth required MODULE \(try realOptions())"], b)
    assertResult(try pam(pamtester, "gina", code), Self.success, "the code afterwards")
  }

  // MARK: With the fake mfactl

  func testWhatMfactlGetsEmptyEnvironmentArgvFdsAndStdin() throws {
    let (pamtester, b) = try prerequisites()
    try stack(["auth required MODULE mfactl=\(b.fake) vault=/v/vault.mfa key_file=/k/key"], b)
    try resetFake(b, mode: "0")
    // The PAM environment (pamtester -E, like pam_env or an application's pam_putenv)
    // must not reach mfactl: an empty environment, settings only as flags.
    let r = try pam(
      pamtester, "alice", "123456", items: ["rhost=198.51.100.4"],
      pamEnv: [
        "MFACTL_NOW=1", "MFACTL_VAULT=/tmp/evil.mfa", "MFACTL_KEY_FILE=/tmp/evil.key", "PATH=/tmp",
        "LD_PRELOAD=/tmp/x.so",
      ])
    assertResult(r, Self.success, "fake mfactl exiting 0")
    let rec = try XCTUnwrap(record(b), "the fake did not run")
    XCTAssertEqual(rec.filter { $0.hasPrefix("env ") }, [], "mfactl got an environment")
    XCTAssertEqual(
      rec.filter { $0.hasPrefix("arg ") },
      [
        "arg \(b.fake)", "arg verify", "arg --quiet", "arg --vault=/v/vault.mfa", "arg --key-file=/k/key",
        "arg --actor=pam:\(service)", "arg --ip=198.51.100.4", "arg --", "arg alice",
      ])
    XCTAssertEqual(
      rec.filter { $0.hasPrefix("fd ") }, ["fd 0", "fd 1", "fd 2"], "only stdin, stdout and stderr are open")
    XCTAssertEqual(
      String(decoding: bytes(b.record) ?? Data(), as: UTF8.self).components(separatedBy: "stdin ").last,
      "123456\n<end>\n", "the code on stdin, one line")
    // The test runner ignores SIGPIPE and pamtester inherits that; mfactl must not.
    XCTAssertTrue(rec.contains("sigpipe default"), "\(rec)")
    XCTAssertTrue(rec.contains("sigchld unblocked"), "\(rec)")

    // A code longer than 64 bytes reaches mfactl cut to 64 (a wrong code, counted there).
    try resetFake(b, mode: "1")
    let long = String(repeating: "7", count: 100)
    assertResult(try pam(pamtester, "alice", long), Self.authErr, "long code")
    XCTAssertEqual(
      String(decoding: bytes(b.record) ?? Data(), as: UTF8.self).components(separatedBy: "stdin ").last,
      String(repeating: "7", count: 64) + "\n<end>\n")
  }

  func testExitStatusMapping() throws {
    let (pamtester, b) = try prerequisites()
    let cases: [(String, String)] = [
      ("0", Self.success), ("1", Self.authErr), ("2", Self.maxTries), ("67", Self.userUnknown),
      ("64", Self.unavailable), ("65", Self.unavailable), ("66", Self.unavailable), ("69", Self.unavailable),
      ("74", Self.unavailable), ("75", Self.unavailable), ("77", Self.unavailable), ("3", Self.unavailable),
      ("255", Self.unavailable), ("signal", Self.unavailable),
    ]
    try stack(["auth required MODULE mfactl=\(b.fake)"], b)
    for (mode, expected) in cases {
      try resetFake(b, mode: mode)
      assertResult(try pam(pamtester, "alice", "123456"), expected, "mfactl exit \(mode)")
      XCTAssertNotNil(record(b), "mode \(mode): the fake did not run")
    }
    // With nullok only 67 changes: PAM_IGNORE (pam_permit decides); the rest stays.
    try stack(["auth required MODULE mfactl=\(b.fake) nullok", "auth required pam_permit.so"], b)
    for (mode, expected) in cases where mode != "67" {
      try resetFake(b, mode: mode)
      assertResult(try pam(pamtester, "alice", "123456"), expected, "nullok, mfactl exit \(mode)")
    }
    try resetFake(b, mode: "67")
    assertResult(try pam(pamtester, "alice", "123456"), Self.success, "nullok, exit 67")
    try stack(["auth required MODULE mfactl=\(b.fake) nullok"], b)
    assertResult(try pam(pamtester, "alice", "123456"), "Permission denied", "nullok alone: no module decided")
  }

  func testHungMfactlIsKilledAfterTheTimeout() throws {
    let (pamtester, b) = try prerequisites()
    try stack(["auth required MODULE mfactl=\(b.fake) timeout=1"], b)
    try resetFake(b, mode: "hang")
    let r = try pam(pamtester, "alice", "123456")
    assertResult(r, Self.unavailable, "hung mfactl")
    XCTAssertNotNil(record(b), "the fake did not run")
    XCTAssertGreaterThanOrEqual(r.seconds, 1.0, "returned before the timeout\n\(r)")
    XCTAssertLessThan(r.seconds, 2.0, "took longer than timeout + 1 s\n\(r)")
    // Killed and reaped: no process runs the fake any more.
    let procs = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    let left = procs.filter { Int($0) != nil }.filter {
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\($0)/exe")) == b.fake
    }
    XCTAssertEqual(left, [], "the hung mfactl still runs")
  }

  func testAHostThatReapsEveryChildDoesNotTakeTheStatus() throws {
    let (_, b) = try prerequisites()
    try stack(["auth required MODULE mfactl=\(b.fake)"], b)
    for (mode, expected) in [("0", "Success"), ("1", Self.authErr)] {
      try resetFake(b, mode: mode)
      let r = try Running(
        executable: b.host, args: [service, "alice", "123456"], stdin: nil, env: ProcessInfo.processInfo.environment,
        cwd: dir
      ).wait(timeout: 60)
      XCTAssertTrue(r.stdout.contains(expected), "exit \(mode) with a reaping SIGCHLD handler\n\(r)")
      XCTAssertTrue(r.stdout.contains("reaped by the host: 0"), "the host's handler took the child\n\(r)")
    }
  }

  func testDebugReadsMfactlsOutputWithoutBlockingIt() throws {
    let (pamtester, b) = try prerequisites()
    // With debug, stdout and stderr come back through a pipe: a child that writes more
    // than the pipe holds must still finish, and the answer still counts.
    for (options, mode, expected) in [
      ("debug", "noisy", Self.success), ("debug", "1", Self.authErr), ("debug timeout=1", "hang", Self.unavailable),
      ("", "noisy", Self.success),
    ] {
      try stack(["auth required MODULE mfactl=\(b.fake) \(options)"], b)
      try resetFake(b, mode: mode)
      let r = try pam(pamtester, "alice", "123456")
      assertResult(r, expected, "\(options), \(mode)")
      XCTAssertLessThan(r.seconds, 2.0, "\(options), \(mode)\n\(r)")
      let args = (record(b) ?? []).filter { $0.hasPrefix("arg ") }
      XCTAssertEqual(args.contains("arg --quiet"), options.isEmpty, "--quiet only without debug: \(args)")
    }
  }

  func testDefaultsComeFromTheBuild() throws {
    let (pamtester, b) = try prerequisites()
    // No options: the mfactl of the build's PREFIX, the vault and key file docs/pam.md
    // sets up, actor pam:SERVICE, no --ip without PAM_RHOST.
    try stack(["auth required \(b.prefixed)"], b)
    try resetFake(b, mode: "0")
    assertResult(try pam(pamtester, "alice", "123456"), Self.success, "module with its defaults")
    XCTAssertEqual(
      (record(b) ?? []).filter { $0.hasPrefix("arg ") },
      [
        "arg \(b.prefix)/bin/mfactl", "arg verify", "arg --quiet", "arg --vault=/var/lib/mfactl/vault.mfa",
        "arg --key-file=/etc/mfactl/vault.key", "arg --actor=pam:\(service)", "arg --", "arg alice",
      ])
  }
}
