import Foundation
import XCTest

/// Issue 9, items 13 and 14: the README's tour runs as written, and the links of the
/// front-door documents resolve.
///
/// The tour's convention (also in a comment at the top of the tour in README.md, and in
/// ARCHITECTURE.md, "Tests"):
/// - every ```console block of README.md runs, in order, in one bash session, with the
///   built mfactl first on PATH, an empty temp directory as $TMPDIR and no MFACTL_*
///   variables; the tour sets what it needs itself (MFACTL_NOW included), visibly;
/// - a line starting with "$ " is a command; the lines after it, up to the next command
///   or the end of the block, are what it prints, stdout and stderr together as a
///   terminal shows them, compared line by line and exactly;
/// - `<name>` in an expected line (a lower-case name in angle brackets) stands for text
///   that differs on every run (ids, secrets, codes, the temp directory, sizes): it
///   matches any non-empty text within that line, and nothing else is loose;
/// - `<!-- file: NAME -->` right before a fenced block saves that block as NAME in the
///   session's current directory at that point (what the reader is told to do).
final class ReadmeTourTests: CLITestCase {
  enum Item {
    /// A command, the README line it is on, and the lines it must print.
    case command(line: Int, text: String, expected: [String])
    /// A block the reader is told to save as a file.
    case file(line: Int, name: String, content: [String])
  }

  var repo: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
  }

  func readme() throws -> [String] {
    let text = try String(contentsOfFile: repo + "/README.md", encoding: .utf8)
    return text.components(separatedBy: "\n")
  }

  /// The commands of the console blocks and the files to save, in README order.
  static func tour(_ lines: [String]) -> [Item] {
    var items: [Item] = []
    var i = 0
    while i < lines.count {
      let line = lines[i]
      guard line.hasPrefix("```") else {
        i += 1
        continue
      }
      let info = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
      let start = i + 1
      var end = start
      while end < lines.count && !lines[end].hasPrefix("```") { end += 1 }
      let body = Array(lines[start..<min(end, lines.count)])
      if i > 0, let name = fileName(lines[i - 1]) {
        items.append(.file(line: i + 1, name: name, content: body))
      } else if info == "console" {
        var current: (line: Int, text: String, expected: [String])? = nil
        for (k, l) in body.enumerated() {
          if l.hasPrefix("$ ") {
            if let c = current { items.append(.command(line: c.line, text: c.text, expected: c.expected)) }
            current = (start + k + 1, String(l.dropFirst(2)), [])
          } else {
            // Output before any command would never be compared: make it a mismatch.
            if current == nil { current = (start + k + 1, "# (output with no command before it)", []) }
            current!.expected.append(l)
          }
        }
        if let c = current { items.append(.command(line: c.line, text: c.text, expected: c.expected)) }
      }
      i = end + 1
    }
    return items
  }

  /// NAME from `<!-- file: NAME -->`.
  static func fileName(_ line: String) -> String? {
    let t = line.trimmingCharacters(in: .whitespaces)
    guard t.hasPrefix("<!-- file: "), t.hasSuffix(" -->") else { return nil }
    let name = String(t.dropFirst("<!-- file: ".count).dropLast(" -->".count)).trimmingCharacters(in: .whitespaces)
    return name.isEmpty || name.contains("/") ? nil : name
  }

  /// Whether `actual` is `expected` with each `<name>` standing for any non-empty text.
  static func matches(_ expected: String, _ actual: String) -> Bool {
    let placeholder = try! NSRegularExpression(pattern: "<[a-z][a-z0-9 ,.-]*>")
    let ns = expected as NSString
    var pattern = "^"
    var last = 0
    for m in placeholder.matches(in: expected, range: NSRange(location: 0, length: ns.length)) {
      pattern += NSRegularExpression.escapedPattern(
        for: ns.substring(with: NSRange(location: last, length: m.range.location - last)))
      pattern += "(.+?)"
      last = m.range.location + m.range.length
    }
    pattern += NSRegularExpression.escapedPattern(for: ns.substring(from: last)) + "$"
    let re = try! NSRegularExpression(pattern: pattern)
    return re.firstMatch(in: actual, range: NSRange(location: 0, length: (actual as NSString).length)) != nil
  }

  /// The bash script that runs the tour: each command's output to its own file, the exit
  /// status carried from one command to the next (for `echo $?`).
  func script(_ items: [Item], out: String, work: String) -> String {
    var s = """
      cd '\(work)' || exit 99
      __rc=0

      """
    for (n, item) in items.enumerated() {
      switch item {
      case .file(_, let name, let content):
        s += """
          cat > '\(name)' <<'__MFACTL_README_TOUR_EOF__'
          \(content.joined(separator: "\n"))
          __MFACTL_README_TOUR_EOF__

          """
      case .command(_, let text, _):
        s += """
          (exit $__rc)
          { \(text)
          } >'\(out)/\(n)' 2>&1 </dev/null
          __rc=$?

          """
      }
    }
    return s
  }

  /// Runs the tour; returns one message per command whose output differs from the README.
  func runTour(_ items: [Item]) throws -> [String] {
    let out = dir + "/out"
    let work = dir + "/work"
    for d in [out, work, dir + "/tmp", dir + "/home"] {
      try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    }
    try write(dir + "/tour.sh", script(items, out: out, work: work))
    var env = environment([:]).filter { !$0.key.hasPrefix("MFACTL_") }
    env["PATH"] =
      URL(fileURLWithPath: try binary()).deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
    env["TMPDIR"] = dir + "/tmp"
    let bash = try XCTUnwrap(Binary.tool("bash"))
    let r = try Running(
      executable: bash, args: ["--norc", "--noprofile", dir + "/tour.sh"], stdin: nil, env: env, cwd: work
    ).wait(timeout: 120)
    XCTAssertEqual(r.code, 0, "the tour script itself failed\n\(r)")

    var problems: [String] = []
    for (n, item) in items.enumerated() {
      guard case .command(let line, let text, let expected) = item else { continue }
      let printed = String(decoding: bytes("\(out)/\(n)") ?? Data(), as: UTF8.self)
      var actual = printed.components(separatedBy: "\n")
      if actual.last == "" { actual.removeLast() }
      let same = actual.count == expected.count && zip(expected, actual).allSatisfy { Self.matches($0, $1) }
      if !same {
        problems.append(
          """
          README.md:\(line): $ \(text)
          --- the README shows:
          \(expected.joined(separator: "\n"))
          --- mfactl printed:
          \(actual.joined(separator: "\n"))
          """)
      }
    }
    return problems
  }

  func testTheTourRunsAsWritten() throws {
    for tool in ["bash", "zbarimg", "stat", "sed"] {
      XCTAssertNotNil(Binary.tool(tool), "\(tool) is not installed (make deps installs it)")
    }
    let items = Self.tour(try readme())
    let commands = items.compactMap { item -> String? in
      if case .command(_, let text, _) = item { return text }
      return nil
    }
    // The flow the tour must keep covering (issue 9, item 14).
    for step in [
      "mfactl init", "enrol alice --confirm", "mfactl verify alice", "./check-code alice", "users unlock alice",
      "recovery-codes generate alice", "recovery-codes use alice", "users resync alice", "backup create",
      "mfactl status", "export MFACTL_NOW=$((MFACTL_NOW + 30))",
    ] {
      XCTAssertTrue(commands.contains { $0.contains(step) }, "the tour has no '\(step)' step any more")
    }
    let problems = try runTour(items)
    XCTAssertTrue(
      problems.isEmpty,
      "\(problems.count) command(s) of the README tour print something else than the README shows (fix the README or the binary):\n\n"
        + problems.joined(separator: "\n\n"))
  }

  /// The comparison is strict: one changed character in one expected line fails.
  func testAChangedOutputLineFails() throws {
    var lines = try readme()
    let target = try XCTUnwrap(lines.firstIndex(of: "alice is unlocked"), "the tour unlocks alice")
    lines[target] = "alice is unlocked!"
    let problems = try runTour(Self.tour(lines))
    XCTAssertEqual(problems.count, 1, problems.joined(separator: "\n\n"))
    XCTAssertTrue(problems.first?.contains("README.md:\(target):") ?? false, problems.joined(separator: "\n\n"))
  }

  func testPlaceholdersMatchOnlyWithinTheirLine() {
    XCTAssertTrue(
      Self.matches("created vault <dir>/vault.mfa (key-file slot)", "created vault /tmp/x y/vault.mfa (key-file slot)"))
    XCTAssertFalse(
      Self.matches("created vault <dir>/vault.mfa (key-file slot)", "created vault /vault.mfa (key-file slot)"))
    XCTAssertFalse(Self.matches("accepted", "accepted "))
    XCTAssertFalse(Self.matches("<code>", ""))
    XCTAssertTrue(Self.matches("a.b", "a.b"))
    XCTAssertFalse(Self.matches("a.b", "axb"), "literal text is not a pattern")
  }

  /// The first commands a newcomer sees are the two quick-start commands.
  func testTheQuickStartComesFirst() throws {
    let lines = try readme()
    let fence = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("```") })
    XCTAssertEqual(Array(lines[fence...].prefix(4)), ["```sh", "make demo", "make test", "```"])
  }

  /// Relative links (and their #anchors) in README.md, ARCHITECTURE.md and docs/*.md
  /// point at files and headings that exist.
  func testLinksResolve() throws {
    let fm = FileManager.default
    var files = ["README.md", "ARCHITECTURE.md"]
    files += try fm.contentsOfDirectory(atPath: repo + "/docs").filter { $0.hasSuffix(".md") }.map { "docs/" + $0 }
    let link = try NSRegularExpression(pattern: #"\[[^\]]*\]\(([^)\s]+)\)"#)
    var broken: [String] = []
    for file in files {
      let path = repo + "/" + file
      XCTAssertTrue(fm.fileExists(atPath: path), "\(file) is missing")
      for (n, line) in outsideCodeBlocks(path) {
        for m in link.matches(in: line, range: NSRange(location: 0, length: (line as NSString).length)) {
          let target = (line as NSString).substring(with: m.range(at: 1))
          if target.contains("://") || target.hasPrefix("mailto:") { continue }
          let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
          let base = (path as NSString).deletingLastPathComponent
          let resolved = parts[0].isEmpty ? path : (base as NSString).appendingPathComponent(parts[0])
          guard fm.fileExists(atPath: resolved) else {
            broken.append("\(file):\(n): \(target): no such file")
            continue
          }
          if parts.count == 2, !anchors(resolved).contains(parts[1]) {
            broken.append("\(file):\(n): \(target): no heading with that anchor")
          }
        }
      }
    }
    XCTAssertTrue(broken.isEmpty, broken.joined(separator: "\n"))
  }

  /// Lines (numbered from 1) outside fenced code blocks.
  func outsideCodeBlocks(_ path: String) -> [(Int, String)] {
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    var inBlock = false
    var out: [(Int, String)] = []
    for (i, l) in text.components(separatedBy: "\n").enumerated() {
      if l.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
        inBlock.toggle()
        continue
      }
      if !inBlock { out.append((i + 1, l)) }
    }
    return out
  }

  /// GitHub's anchors for the headings of a Markdown file: lower case, punctuation
  /// other than '-' and '_' dropped, spaces as '-'.
  func anchors(_ path: String) -> Set<String> {
    var set: Set<String> = []
    for (_, l) in outsideCodeBlocks(path) where l.hasPrefix("#") {
      let title = l.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces).lowercased()
      let kept = title.unicodeScalars.filter {
        CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" || $0 == " "
      }
      let slug = String(String.UnicodeScalarView(kept)).replacingOccurrences(of: " ", with: "-")
      // A repeated heading gets -1, -2, ... on GitHub, in the order they appear.
      var anchor = slug
      var n = 0
      while set.contains(anchor) {
        n += 1
        anchor = "\(slug)-\(n)"
      }
      set.insert(anchor)
    }
    return set
  }
}
