import ArgumentParser
import Foundation
import MarqueeCore

/// `marquee secrets put|get|list|rm VAULT/NAME`, `secrets rotate-master-key`.
struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "The secrets vault: values sealed per tenant (AES-GCM), keys wrapped by a master key kept outside the database.",
        discussion:
            "Values come from standard input or --file, never from the command line. Only operators and admins of the owning tenant see them.",
        subcommands: [Put.self, Get.self, List.self, Remove.self, RotateMasterKey.self],
        defaultSubcommand: List.self
    )

    struct Put: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Store a secret; the value is read from standard input or --file.")
        @Argument(help: "VAULT/NAME") var path: String
        @Option(help: "Read the value from this file instead of standard input.") var file: String?
        @Option(name: .customLong("app"), help: "Only this application may receive it (repeatable).") var apps: [String] = []
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func validate() throws {
            // Before waiting on standard input for a value that could not be stored anyway.
            guard path.split(separator: "/", omittingEmptySubsequences: false).count == 2 else {
                throw ValidationError("'\(path)' is not VAULT/NAME")
            }
        }

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let value: Data
            if let file {
                guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
                value = data
            } else {
                value = FileHandle.standardInput.readDataToEndOfFile()
            }
            let info = try await global.secretsAPI().putSecret(path: path, value: value, apps: apps)
            switch global.output {
            case .json: Output.printJSON(info)
            case .table:
                print(
                    "Stored \(info.path) (\(info.bytes) bytes, tenant \(info.tenantID)\(info.apps.isEmpty ? "" : ", apps \(info.apps.joined(separator: ", "))"))."
                )
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a secret's value (the read is audited).")
        @Argument(help: "VAULT/NAME") var path: String
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let value = try await global.secretsAPI().secretValue(path: path)
            switch global.output {
            case .json: Output.printJSON(["path": path, "value": String(decoding: value, as: UTF8.self)])
            case .table: Output.writeStandardOutput(value)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Your tenant's secrets (never their values).")
        @Argument(help: "Only this vault.") var vault: String?
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let secrets = try await global.secretsAPI().secrets(vault: vault)
            switch global.output {
            case .json: Output.printJSON(secrets)
            case .table:
                var table = TextTable(columns: [
                    .init("SECRET"), .init("TENANT"), .init("APPS"), .init("BYTES", alignRight: true), .init("UPDATED BY"),
                ])
                for secret in secrets {
                    table.append([
                        secret.path, secret.tenantID, secret.apps.isEmpty ? "any" : secret.apps.joined(separator: ","), String(secret.bytes),
                        secret.updatedBy,
                    ])
                }
                print(table.render())
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a secret.")
        @Argument(help: "VAULT/NAME") var path: String
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let info = try await global.secretsAPI().removeSecret(path: path)
            switch global.output {
            case .json: Output.printJSON(info)
            case .table: print("Removed \(info.path).")
            }
        }
    }

    struct RotateMasterKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-master-key",
            abstract: "Rewrap every tenant key with a new master key and replace master.key (local database; stop the tower first).")
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            guard global.towerURL == nil else {
                throw ValidationError("rotate the master key on the tower's own machine, against its database (--db)")
            }
            let (database, store) = try global.openFleet()
            let path = MasterKey.path(besideDatabase: database.path)
            let current = try MasterKey.load(at: path, environment: ProcessInfo.processInfo.environment, create: false)
            let next = MasterKey.generate()
            // The new key is on disk before any data depends on it.
            try next.write(to: path + ".next")
            let count = try await SecretVault(store: store, master: current).rotateMasterKey(to: next, by: try await global.localPrincipal(store))
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.moveItem(atPath: path + ".next", toPath: path)
            switch global.output {
            case .json: Output.printJSON(["tenantKeys": count])
            case .table: print("Rewrapped \(count) tenant key(s) with \(next.id); \(path) replaced (was \(current.id)).")
            }
        }
    }
}
