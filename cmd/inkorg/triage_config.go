package main

import (
	"os"
	"strings"

	"inkorg/routing"
)

// RoutingConfig is how triage runs in serve.
type RoutingConfig struct {
	// Targets are the routing targets from the file INKORG_ROUTING_TARGETS
	// names; nil for the bundled administrations.json.
	Targets *routing.Administrations
	// TargetsFile is that file's path, empty for the bundled targets.
	TargetsFile string
	// AutoHide hides a public comment holding a personal identity or
	// payment card number without waiting for an agent
	// (INKORG_AUTO_HIDE_PERSONAL_NUMBERS).
	AutoHide bool
}

// parseRoutingConfig reads the routing targets file, when one is named, and
// the auto-hide switch. A bad file is one line naming the variable, the
// file and the first problem in it.
func parseRoutingConfig(targetsFile, autoHide string) (RoutingConfig, error) {
	rc := RoutingConfig{TargetsFile: targetsFile}
	switch strings.ToLower(autoHide) {
	case "", "0", "false", "no", "off":
	case "1", "true", "yes", "on":
		rc.AutoHide = true
	default:
		return rc, configErrorf("INKORG_AUTO_HIDE_PERSONAL_NUMBERS %q must be 1 or 0 (true or false)", autoHide)
	}
	if targetsFile == "" {
		return rc, nil
	}
	f, err := os.Open(targetsFile)
	if err != nil {
		return rc, configErrorf("INKORG_ROUTING_TARGETS: cannot read %s: %v", targetsFile, unwrapPathError(err))
	}
	defer f.Close()
	if rc.Targets, err = routing.LoadAdministrations(f); err != nil {
		return rc, configErrorf("INKORG_ROUTING_TARGETS %s: %s", targetsFile, oneLine(err.Error()))
	}
	return rc, nil
}

// targets returns the configured routing targets, or the bundled ones.
func (rc RoutingConfig) targets() (*routing.Administrations, error) {
	if rc.Targets != nil {
		return rc.Targets, nil
	}
	return routing.BundledAdministrations()
}
