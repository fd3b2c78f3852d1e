extension QRCode {
    /// The symbol as a standalone SVG image: one path of dark squares on white, with the 4-module quiet
    /// zone readers need (§6.3.8). `moduleSize` sets the width and height in pixels per module.
    public func svg(moduleSize: Int = 8) -> String {
        let side = size + 8
        var path = ""
        for y in 0..<size {
            for x in 0..<size where self[x, y] { path += "M\(x + 4) \(y + 4)h1v1h-1z" }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(side * moduleSize)" height="\(side * moduleSize)" \
            viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges"><rect width="\(side)" height="\(side)" fill="#fff"/>\
            <path d="\(path)" fill="#000"/></svg>
            """
    }
}
