package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var (
	imageUserRE    = regexp.MustCompile(`(?m)^USER\s+(\S+)\s*$`)
	imageDataDirRE = regexp.MustCompile(`(?m)INKORG_DATA_DIR=(\S+)`)
)

// TestDeployImageUser checks that the image's user is numeric, as
// Kubernetes needs to check runAsNonRoot, that it owns the data
// directory, and that every pod runs as that user.
func TestDeployImageUser(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(deployDir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	dockerfile := string(b)
	m := imageUserRE.FindAllStringSubmatch(dockerfile, -1)
	if len(m) != 1 {
		t.Fatalf("Dockerfile: got %d USER lines, want one", len(m))
	}
	uid, gid, _ := strings.Cut(m[0][1], ":")
	if !regexp.MustCompile(`^[1-9][0-9]*$`).MatchString(uid) || !regexp.MustCompile(`^[0-9]+$`).MatchString(gid) {
		t.Fatalf("Dockerfile: USER %s; want a numeric, non-root uid:gid (kubelet: image has non-numeric user)", m[0][1])
	}
	dataDir := imageDataDirRE.FindStringSubmatch(dockerfile)
	if dataDir == nil {
		t.Fatal("Dockerfile: sets no INKORG_DATA_DIR")
	}
	owned := regexp.MustCompile(`(?m)^COPY .*--chown=` + uid + `:` + gid + ` .* ` + regexp.QuoteMeta(dataDir[1]) + `/?\s*$`)
	if !owned.MatchString(dockerfile) {
		t.Errorf("Dockerfile: the data directory %s is not made owned by %s:%s; the embedded default cannot write it", dataDir[1], uid, gid)
	}

	pods := 0
	for file, docs := range yamlDocs(t) {
		for _, doc := range docs {
			if doc["kind"] != "Deployment" && doc["kind"] != "Job" {
				continue
			}
			pods++
			sc := dig(doc, "spec", "template", "spec", "securityContext")
			if dig(sc, "runAsNonRoot") != true || !sameNumber(dig(sc, "runAsUser"), uid) || !sameNumber(dig(sc, "runAsGroup"), gid) {
				t.Errorf("%s: pod securityContext %v; want runAsNonRoot with runAsUser %s and runAsGroup %s, the image's user", file, sc, uid, gid)
			}
		}
	}
	if pods < 4 {
		t.Errorf("found %d Deployments and Jobs, want the three roles and the migration", pods)
	}
}

// TestDeployDataDirWritable checks that the pods that write the data
// directory (the embedded answer index of the api and workers roles) have
// it on a volume, since their root filesystem is read-only.
func TestDeployDataDirWritable(t *testing.T) {
	docs := yamlDocs(t)
	dataDir, _ := dig(docs["kubernetes/configmap.yaml"][0], "data", "INKORG_DATA_DIR").(string)
	if dataDir == "" {
		t.Fatal("kubernetes/configmap.yaml: sets no INKORG_DATA_DIR")
	}
	checked := 0
	for file, ds := range docs {
		for _, doc := range ds {
			if doc["kind"] != "Deployment" {
				continue
			}
			for _, c := range dig(doc, "spec", "template", "spec", "containers").([]any) {
				args, _ := dig(c, "args").([]any)
				roles := "webhooks,workers,api"
				for _, a := range args {
					if r, ok := strings.CutPrefix(a.(string), "--roles="); ok {
						roles = r
					}
				}
				if dig(c, "securityContext", "readOnlyRootFilesystem") != true || roles == "webhooks" {
					continue
				}
				checked++
				if !mountsAt(doc, c, dataDir) {
					t.Errorf("%s: --roles=%s with a read-only root filesystem mounts no volume at INKORG_DATA_DIR %s", file, roles, dataDir)
				}
			}
		}
	}
	if checked < 2 {
		t.Errorf("checked %d containers, want the api's and the workers'", checked)
	}
}

// mountsAt reports whether container c of pod template doc mounts a
// volume of the pod at path.
func mountsAt(doc, c any, path string) bool {
	volumes, _ := dig(doc, "spec", "template", "spec", "volumes").([]any)
	mounts, _ := dig(c, "volumeMounts").([]any)
	for _, m := range mounts {
		if dig(m, "mountPath") != path {
			continue
		}
		for _, v := range volumes {
			if dig(v, "name") == dig(m, "name") {
				return true
			}
		}
	}
	return false
}

// sameNumber reports whether a YAML value is the number written as s.
func sameNumber(v any, s string) bool {
	n, ok := v.(int)
	return ok && strconv.Itoa(n) == s
}
