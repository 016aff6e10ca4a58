package main

import (
	"slices"
	"testing"
)

func TestIgnoredVariables(t *testing.T) {
	environ := []string{
		"PATH=/usr/bin",
		"INKORG_ADDR=:8080",
		"DATABASE_URL_FILE=/run/secrets/db",
		"INKORG_DATABASE_URL=postgres://inkorg@db/inkorg",
		"INKORG_REDIS_URL_FILE=/run/secrets/redis",
		"INKORG_ADRR=:9090",
		"META_APP_SECERT=s",
		"INKORG_ADDR_FILE=/run/secrets/addr",
		"META_SOMETHING_ELSE=x",
		"INKORG_EMPTY=",
		"INKORG_TEST_DATABASE_URL=postgres://postgres@127.0.0.1/test",
		"INKORG_BENCH_RATE=100",
		"REDIS_HOST=redis",
	}
	want := []ignoredVariable{
		{Name: "INKORG_ADDR_FILE", Maybe: "INKORG_ADDR"},
		{Name: "INKORG_ADRR", Maybe: "INKORG_ADDR"},
		{Name: "INKORG_DATABASE_URL", Maybe: "DATABASE_URL"},
		{Name: "INKORG_REDIS_URL_FILE", Maybe: "REDIS_URL_FILE"},
		{Name: "META_APP_SECERT", Maybe: "META_APP_SECRET"},
		{Name: "META_SOMETHING_ELSE"},
	}
	if got := ignoredVariables(environ); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
