// swift-tools-version:6.0
import PackageDescription

// Layout: a thin CLI (`mfactl`, argument parsing and printing only) over libraries
// with no CLI code, and one system-library target per C library.
//
//   mfactl ──► Accounts ──► Vault ──► Sodium ──► CSodium (libsodium)
//     │            │          └──► CLibPQ (libpq, dlopen), CLoadGuard
//     │            └──────► OTP ─────┘
//     ├──────► QR ──► CQREncode (libqrencode, dlopen), CPNG (libpng + zlib), CLoadGuard
//     └──────► CProcess (before main), CLazyLibm (libm on first use)
let package = Package(
  name: "mfactl",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "mfactl", targets: ["mfactl"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    // C libraries from Debian (libsodium-dev, libqrencode-dev, libpng-dev, zlib1g-dev).
    .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
    // libqrencode's header only: the library is loaded with dlopen when a QR code is drawn
    // (Sources/QR/LibQREncode.swift), so it is not linked and not mapped by other commands.
    .systemLibrary(name: "CQREncode", providers: [.apt(["libqrencode-dev"])]),
    .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev", "zlib1g-dev"])]),

    // The arguments the process was started with (read without /proc) and core-dump
    // hardening, done before any Swift code runs.
    .target(name: "CProcess"),

    // libpq, loaded with dlopen only when a PostgreSQL vault is used, so the binary does
    // not link it (docs/postgresql.md).
    .target(name: "CLibPQ", dependencies: ["CLoadGuard"]),

    // Whether this binary may dlopen at all: a fully static build only with the very
    // glibc build it was linked with (Sources/CLoadGuard/load_guard.c).
    .target(name: "CLoadGuard"),

    // glibc's math functions as trampolines that load libm.so.6 on first use, in the
    // release build only (its -DMFACTL_LAZY_LIBM): no command's common path does math,
    // and a NEEDED libm cost every start 7 page faults and ~30,000 instructions
    // (Sources/CLazyLibm/lazy_libm.c).
    .target(name: "CLazyLibm"),

    // Swift libraries.
    .target(name: "Sodium", dependencies: ["CSodium"]),
    .target(name: "OTP", dependencies: ["Sodium"]),
    .target(name: "Vault", dependencies: ["Sodium", "CLibPQ", "CLoadGuard"]),
    .target(name: "Accounts", dependencies: ["OTP", "Vault", "Sodium"]),
    .target(name: "QR", dependencies: ["CQREncode", "CPNG", "CLoadGuard"]),

    // The command-line tool.
    .executableTarget(
      name: "mfactl",
      dependencies: [
        "Accounts", "OTP", "Vault", "QR", "Sodium", "CProcess", "CLazyLibm",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    .testTarget(name: "OTPTests", dependencies: ["OTP"]),
    .testTarget(name: "VaultTests", dependencies: ["Vault", "Sodium", "CLoadGuard"]),
    .testTarget(name: "AccountsTests", dependencies: ["Accounts", "Vault", "OTP"]),
    .testTarget(name: "QRTests", dependencies: ["QR"]),
    .testTarget(name: "CLITests", dependencies: ["OTP", "mfactl"]),
  ],
  // A single-threaded command-line tool: Swift 5 mode spares us Sendable ceremony
  // around C pointers without changing behaviour.
  swiftLanguageModes: [.v5]
)
