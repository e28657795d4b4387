package fdr_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/sportello/sportello/activities/ledger/fdr"
)

// FuzzParseXML: whatever a PSP sends, the flow parser answers a flow or an
// error, never a panic; a flow it accepts has the lines it counts.
func FuzzParseXML(f *testing.F) {
	if b, err := os.ReadFile(specs + "samples/FlussoRiversamento_example_pagopa-devportal-docs.xml"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		fl, err := fdr.ParseXML(bytes.NewReader(b))
		if err == nil && fl.Count != len(fl.Lines) {
			t.Fatalf("accepted a flow counting %d lines with %d", fl.Count, len(fl.Lines))
		}
	})
}

// FuzzParseJSON: the FdR API's flow and pages never panic the parser.
func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(apiFlow), []byte(apiPage))
	f.Add([]byte(`{}`), []byte(`{"data":[{}]}`))
	f.Fuzz(func(t *testing.T, flow, page []byte) {
		fl, err := fdr.ParseJSON(strings.NewReader(string(flow)), bytes.NewReader(page))
		if err == nil && fl.Count != len(fl.Lines) {
			t.Fatalf("accepted a flow counting %d lines with %d", fl.Count, len(fl.Lines))
		}
	})
}
