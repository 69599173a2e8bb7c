import Foundation
import Yams

/// Reads a `kind: Application` document.
enum ApplicationReader {
    /// Lower-case letters, digits and inner `-`, 1…63 characters (a DNS label).
    static func isValidName(_ name: String) -> Bool {
        let allowed = name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        return allowed && (1...63).contains(name.count) && !name.hasPrefix("-") && !name.hasSuffix("-")
    }

    static func read(_ node: Node, source: String, reader: inout SpecReader) -> ApplicationSpec? {
        guard
            let object = reader.object(
                node, path: "", allowed: ["apiVersion", "kind", "name", "version", "tenant", "sensitive", "services", "network", "checks"],
                required: ["apiVersion", "name", "version", "tenant", "services"])
        else { return nil }
        let before = reader.diagnostics.count
        let name = readName(object, "name", reader: &reader)
        let version = reader.string(object, "version")
        let tenant = reader.string(object, "tenant")
        let sensitive = object.has("sensitive") ? reader.bool(object, "sensitive") : false
        var services: [ServiceSpec] = []
        let elements = reader.list(object, "services")
        if object.has("services"), elements.isEmpty, let value = object.entries["services"]?.value, value.sequence != nil {
            reader.report(value, "services", "an application needs at least one service")
        }
        var serviceNames: Set<String> = []
        for element in elements {
            guard let service = readService(element, reader: &reader) else { continue }
            if !serviceNames.insert(service.name).inserted {
                reader.report(element.node, element.path + ".name", "service `\(service.name)` is defined twice")
            }
            services.append(service)
        }
        var network = NetworkPolicy()
        if let value = object.entries["network"]?.value,
            let networkObject = reader.object(value, path: "network", allowed: ["ingress", "outbound"])
        {
            network.ingress = reader.list(networkObject, "ingress").compactMap { port($0, reader: &reader) }
            network.outbound = reader.strings(networkObject, "outbound")
        }
        var checkNames: Set<String> = []
        for element in reader.list(object, "checks") {
            guard let (serviceIndex, containerIndex, check) = readCheck(element, services: services, reader: &reader) else { continue }
            if !checkNames.insert(check.name ?? "").inserted {
                reader.report(element.node, element.path + ".name", "check `\(check.name ?? "")` is defined twice")
            }
            services[serviceIndex].containers[containerIndex].probes.append(check)
        }
        guard reader.diagnostics.count == before, let name, let version, let tenant else { return nil }
        var application = ApplicationSpec(name: name, version: version, tenant: tenant, services: services, network: network, source: source)
        application.sensitive = sensitive ?? false
        return application
    }

    static func readName(_ object: SpecReader.Object, _ key: String, reader: inout SpecReader) -> String? {
        guard let name = reader.string(object, key) else { return nil }
        guard isValidName(name) else {
            reader.report(
                object.entries[key]!.value, SpecReader.join(object.path, key),
                "`\(name)` is not a valid name: lower-case letters, digits and `-`, at most 63")
            return nil
        }
        return name
    }

    static func port(_ element: SpecReader.Element, reader: inout SpecReader) -> Int? {
        guard let text = element.node.scalar?.string, let port = try? SpecQuantities.port(text) else {
            reader.report(element.node, element.path, "expected a port number 1…65535, found \(SpecReader.describe(element.node))")
            return nil
        }
        return port
    }

    static func readService(_ element: SpecReader.Element, reader: inout SpecReader) -> ServiceSpec? {
        guard
            let object = reader.object(
                element.node, path: element.path, allowed: ["name", "replicas", "containers"], required: ["name", "containers"])
        else { return nil }
        let name = readName(object, "name", reader: &reader)
        let replicas = object.has("replicas") ? reader.int(object, "replicas", in: 0...12) : 1
        let elements = reader.list(object, "containers")
        if elements.isEmpty, let value = object.entries["containers"]?.value, value.sequence != nil {
            reader.report(value, SpecReader.join(element.path, "containers"), "a service needs at least one container")
        }
        var names: Set<String> = []
        var containers: [ContainerSpec] = []
        for containerElement in elements {
            guard let container = readContainer(containerElement, reader: &reader) else { continue }
            if !names.insert(container.name).inserted {
                reader.report(containerElement.node, containerElement.path + ".name", "container `\(container.name)` is defined twice")
            }
            containers.append(container)
        }
        guard let name, let replicas else { return nil }
        return ServiceSpec(name: name, replicas: replicas, containers: containers)
    }

    static func readContainer(_ element: SpecReader.Element, reader: inout SpecReader) -> ContainerSpec? {
        guard
            let object = reader.object(
                element.node, path: element.path,
                allowed: ["name", "image", "command", "args", "env", "ports", "volumes", "resources", "probes"], required: ["name", "image"])
        else { return nil }
        let name = readName(object, "name", reader: &reader)
        let image = reader.string(object, "image")
        let command = reader.strings(object, "command")
        let args = reader.strings(object, "args")
        let env = reader.stringMap(object, "env")
        for (key, value) in env {
            do throws(SpecTemplate.MalformedReference) {
                try SpecTemplate.validate(value)
            } catch {
                reader.report(object.entries["env"]!.value, SpecReader.join(element.path, "env.\(key)"), error.message)
            }
        }
        for (index, text) in (command + args).enumerated() {
            do throws(SpecTemplate.MalformedReference) {
                try SpecTemplate.validate(text)
            } catch {
                let field = index < command.count ? "command[\(index)]" : "args[\(index - command.count)]"
                reader.report(object.node, SpecReader.join(element.path, field), error.message)
            }
        }
        let ports = reader.list(object, "ports").compactMap { port($0, reader: &reader) }
        let volumes = reader.list(object, "volumes").compactMap { volume($0, reader: &reader) }
        var resources = ResourceRequest()
        if let value = object.entries["resources"]?.value,
            let resourceObject = reader.object(value, path: SpecReader.join(element.path, "resources"), allowed: ["cpu", "memory", "storage"])
        {
            resources.cpu = reader.parsed(resourceObject, "cpu", SpecQuantities.cpu) ?? 0
            resources.memoryBytes = reader.parsed(resourceObject, "memory", SpecQuantities.bytes) ?? 0
            resources.storageBytes = reader.parsed(resourceObject, "storage", SpecQuantities.bytes) ?? 0
        }
        var probes: [ProbeSpec] = []
        if let value = object.entries["probes"]?.value,
            let probeObject = reader.object(
                value, path: SpecReader.join(element.path, "probes"), allowed: ProbeSpec.Purpose.containerProbes.map(\.rawValue))
        {
            for purpose in ProbeSpec.Purpose.containerProbes {
                guard let probeNode = probeObject.entries[purpose.rawValue]?.value else { continue }
                let path = SpecReader.join(probeObject.path, purpose.rawValue)
                if let probe = readProbe(probeNode, purpose: purpose, path: path, ports: ports, reader: &reader) { probes.append(probe) }
            }
        }
        guard let name, let image else { return nil }
        return ContainerSpec(
            name: name, image: image, command: command, args: args, env: env, ports: ports, volumes: volumes, resources: resources, probes: probes)
    }

    static func volume(_ element: SpecReader.Element, reader: inout SpecReader) -> VolumeSpec? {
        guard let object = reader.object(element.node, path: element.path, allowed: ["name", "path", "size"], required: ["name", "path"])
        else { return nil }
        let name = readName(object, "name", reader: &reader)
        let path = reader.string(object, "path")
        let size = reader.parsed(object, "size", SpecQuantities.bytes)
        if let path, !path.hasPrefix("/"), let value = object.entries["path"]?.value {
            reader.report(value, SpecReader.join(element.path, "path"), "a mount path must be absolute, found `\(path)`")
        }
        guard let name, let path else { return nil }
        return VolumeSpec(name: name, path: path, sizeBytes: size)
    }

    static func readProbe(_ node: Node, purpose: ProbeSpec.Purpose, path: String, ports: [Int], reader: inout SpecReader) -> ProbeSpec? {
        guard let object = reader.object(node, path: path, allowed: ["http", "tcp", "exec", "interval", "timeout", "failure-threshold"])
        else { return nil }
        let kinds = ["http", "tcp", "exec"].filter(object.has)
        guard kinds.count == 1 else {
            reader.report(
                node, path,
                kinds.isEmpty
                    ? "a probe needs one of `http`, `tcp` or `exec`"
                    : "a probe has exactly one of `http`, `tcp` or `exec`, found \(kinds.joined(separator: " and "))")
            return nil
        }
        var check: ProbeSpec.Check?
        switch kinds[0] {
        case "http":
            if let http = reader.object(object.entries["http"]!.value, path: path + ".http", allowed: ["path", "port"], required: ["path", "port"]),
                let probePath = reader.string(http, "path"), let port = reader.parsed(http, "port", SpecQuantities.port)
            {
                check = .http(path: probePath, port: port)
                checkPort(port, among: ports, at: http.entries["port"]!.value, path: path + ".http.port", reader: &reader)
            }
        case "tcp":
            if let tcp = reader.object(object.entries["tcp"]!.value, path: path + ".tcp", allowed: ["port"], required: ["port"]),
                let port = reader.parsed(tcp, "port", SpecQuantities.port)
            {
                check = .tcp(port: port)
                checkPort(port, among: ports, at: tcp.entries["port"]!.value, path: path + ".tcp.port", reader: &reader)
            }
        default:
            if let exec = reader.object(object.entries["exec"]!.value, path: path + ".exec", allowed: ["command"], required: ["command"]) {
                let command = reader.strings(exec, "command")
                if command.isEmpty {
                    reader.report(exec.node, path + ".exec.command", "an exec probe needs a command")
                } else {
                    check = .exec(command: command)
                }
            }
        }
        let interval = object.has("interval") ? reader.parsed(object, "interval", SpecQuantities.duration) : 10
        let timeout = object.has("timeout") ? reader.parsed(object, "timeout", SpecQuantities.duration) : 2
        let threshold = object.has("failure-threshold") ? reader.int(object, "failure-threshold", in: 1...100) : 3
        if let interval, let timeout, timeout > interval {
            reader.report(
                object.entries["timeout"]?.value ?? node, path + ".timeout", "timeout \(Int(timeout))s is longer than the interval \(Int(interval))s")
        }
        guard let check, let interval, let timeout, let threshold else { return nil }
        if interval < 1 {
            reader.report(object.entries["interval"]!.value, path + ".interval", "the interval must be at least 1s")
            return nil
        }
        return ProbeSpec(purpose: purpose, check: check, interval: interval, timeout: timeout, failureThreshold: threshold)
    }

    /// A synthetic check: `{name, service, http: {path, port} | tcp: {port}, interval, timeout}`. It is
    /// attached to the service's container that exposes the port, so every host running one of the
    /// service's replicas measures it against its own.
    static func readCheck(_ element: SpecReader.Element, services: [ServiceSpec], reader: inout SpecReader) -> (Int, Int, ProbeSpec)? {
        guard
            let object = reader.object(
                element.node, path: element.path, allowed: ["name", "service", "http", "tcp", "interval", "timeout"], required: ["name", "service"])
        else { return nil }
        let name = readName(object, "name", reader: &reader)
        guard let serviceName = reader.string(object, "service") else { return nil }
        guard let serviceIndex = services.firstIndex(where: { $0.name == serviceName }) else {
            reader.report(
                object.entries["service"]!.value, element.path + ".service",
                "no service `\(serviceName)` in this application; services are \(services.map(\.name).joined(separator: ", "))")
            return nil
        }
        let kinds = ["http", "tcp"].filter(object.has)
        guard kinds.count == 1 else {
            reader.report(
                element.node, element.path,
                kinds.isEmpty ? "a check needs one of `http` or `tcp`" : "a check has exactly one of `http` or `tcp`, found http and tcp")
            return nil
        }
        var check: ProbeSpec.Check?
        var portNode: Node?
        if kinds[0] == "http" {
            if let http = reader.object(
                object.entries["http"]!.value, path: element.path + ".http", allowed: ["path", "port"], required: ["path", "port"]),
                let path = reader.string(http, "path"), let port = reader.parsed(http, "port", SpecQuantities.port)
            {
                check = .http(path: path, port: port)
                portNode = http.entries["port"]!.value
            }
        } else if let tcp = reader.object(object.entries["tcp"]!.value, path: element.path + ".tcp", allowed: ["port"], required: ["port"]),
            let port = reader.parsed(tcp, "port", SpecQuantities.port)
        {
            check = .tcp(port: port)
            portNode = tcp.entries["port"]!.value
        }
        let interval = object.has("interval") ? reader.parsed(object, "interval", SpecQuantities.duration) : 10
        let timeout = object.has("timeout") ? reader.parsed(object, "timeout", SpecQuantities.duration) : 2
        guard let name, let check, let portNode, let interval, let timeout else { return nil }
        if interval < 1 || timeout > interval {
            reader.report(
                object.entries[interval < 1 ? "interval" : "timeout"]?.value ?? element.node,
                element.path + (interval < 1 ? ".interval" : ".timeout"),
                interval < 1 ? "the interval must be at least 1s" : "timeout \(Int(timeout))s is longer than the interval \(Int(interval))s")
            return nil
        }
        let port: Int
        switch check {
        case .http(_, let value), .tcp(let value): port = value
        case .exec: return nil
        }
        let service = services[serviceIndex]
        guard let containerIndex = service.containers.firstIndex(where: { $0.ports.contains(port) }) else {
            let ports = Set(service.containers.flatMap(\.ports)).sorted().map(String.init)
            reader.report(
                portNode, element.path + (kinds[0] == "http" ? ".http.port" : ".tcp.port"),
                "no container of service `\(serviceName)` exposes port \(port); "
                    + (ports.isEmpty ? "it exposes none" : "its ports are \(ports.joined(separator: ", "))"))
            return nil
        }
        return (
            serviceIndex, containerIndex,
            ProbeSpec(purpose: .check, check: check, interval: interval, timeout: timeout, failureThreshold: 1, name: name)
        )
    }

    static func checkPort(_ port: Int, among ports: [Int], at node: Node, path: String, reader: inout SpecReader) {
        guard !ports.contains(port) else { return }
        let listed = ports.isEmpty ? "the container lists no ports" : "the container's ports are \(ports.map(String.init).joined(separator: ", "))"
        reader.report(node, path, "probe port \(port) is not a port of this container; \(listed)")
    }
}
