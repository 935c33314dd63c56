package main

import (
	"context"
	"encoding/json"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"dockyard/tools/engine/plugins/internal/bridged"
)

// The plugin answers GetSchema (YAML programs and `pulumi package get-schema` ask for it) with the
// schema generated from the mapping, once.
func TestGetSchemaAnswersTheGeneratedSchema(t *testing.T) {
	p := &bridged.LazySchema{Info: providerInfo()}
	resp, err := p.GetSchema(context.Background(), &pulumirpc.GetSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Name      string                     `json:"name"`
		Version   string                     `json:"version"`
		Resources map[string]json.RawMessage `json:"resources"`
	}
	if err := json.Unmarshal([]byte(resp.Schema), &schema); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if schema.Name != "docker" || schema.Version != version {
		t.Errorf("name %q version %q, want docker %s", schema.Name, schema.Version, version)
	}
	for _, token := range []string{"docker:index/container:Container", "docker:index/network:Network", "docker:index/service:Service"} {
		if _, ok := schema.Resources[token]; !ok {
			t.Errorf("no %s in the schema", token)
		}
	}
	again, err := p.GetSchema(context.Background(), &pulumirpc.GetSchemaRequest{})
	if err != nil || again.Schema != resp.Schema {
		t.Errorf("a second GetSchema answered differently (err %v)", err)
	}
	if _, err := p.GetSchema(context.Background(), &pulumirpc.GetSchemaRequest{Version: 2}); err == nil {
		t.Error("schema version 2 should be refused")
	}
}
