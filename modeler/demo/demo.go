// Package demo holds the forms, templates and overlays of the demo services as
// embedded JSON documents; modeler.Seed stores and publishes them.
package demo

import "embed"

// FS holds forms/*.json, templates/*.json and overlays/*.json.
//
//go:embed forms/*.json templates/*.json overlays/*.json
var FS embed.FS
