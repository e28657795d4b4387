// Package modeler holds forms (JSON Schema 2020-12 plus a UI schema), workflow
// templates, their validation, versions and ente overlays, and compiles a
// published, resolved template version into the Plan the Temporal interpreter
// runs. Pure domain code: no Temporal and no HTTP; the GORM store lives in the
// store*.go files.
package modeler
