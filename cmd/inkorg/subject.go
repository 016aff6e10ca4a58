package main

import (
	"context"
	"errors"
	"fmt"

	"inkorg/inbox"
	"inkorg/inbox/archive"
	"inkorg/inbox/sqlstore"
)

const subjectUsage = `usage: inkorg subject export (--contact ID | --platform-id X [--platform facebook|instagram]) --out DIR
       inkorg subject erase|pseudonymise (--contact ID | --platform-id X [--platform facebook|instagram]) --reason TEXT`

// platformFlagUsage says what --platform of the subject commands is for.
const platformFlagUsage = "facebook or instagram: the platform of --platform-id; needed when both have someone with the id, who are different people"

// subjectCmd answers data-subject requests under GDPR: access (export)
// and erasure or pseudonymisation.
func subjectCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef(subjectUsage)
	}
	switch args[0] {
	case "export":
		return subjectExport(ctx, e, args[1:])
	case "erase":
		return subjectRemove(ctx, e, inbox.DeleteData, args[1:])
	case "pseudonymise":
		return subjectRemove(ctx, e, inbox.Pseudonymise, args[1:])
	}
	return usagef(subjectUsage)
}

func subjectExport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("subject export")
	contact := fs.Int64("contact", 0, "the contact's id in inkorg")
	platformID := fs.String("platform-id", "", "the person's page- or Instagram-scoped id")
	platform := fs.String("platform", "", platformFlagUsage)
	out := fs.String("out", "", "directory to write; must not exist or be empty")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || (*contact == 0) == (*platformID == "") {
		return usagef("subject export: give --out and one of --contact and --platform-id; %s", subjectUsage)
	}
	if err := checkSubjectPlatform("subject export", *platform, *platformID); err != nil {
		return err
	}
	db, err := openDatabase(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	p := newPrivacy(sqlstore.NewStore(db))
	contacts, err := p.SubjectContacts(ctx, *contact, inbox.Platform(*platform), *platformID)
	if err != nil {
		return subjectError("subject export", err)
	}
	r, err := archive.ExportSubject(ctx, p, 0, contacts, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "exported %d conversations (%d messages) about %d contact(s) to %s\nmanifest sha256 %s\n",
		r.Manifest.Conversations, r.Manifest.Messages, len(contacts), r.Dir, r.ManifestSHA256)
	return nil
}

func subjectRemove(ctx context.Context, e *env, action inbox.PersonalDataAction, args []string) error {
	name := "subject " + args0(action)
	fs := newFlagSet(name)
	contact := fs.Int64("contact", 0, "the contact's id in inkorg")
	platformID := fs.String("platform-id", "", "the person's page- or Instagram-scoped id; also someone without a contact of their own")
	platform := fs.String("platform", "", platformFlagUsage)
	reason := fs.String("reason", "", "why (the request and its legal ground); recorded in the audit trail")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if (*contact == 0) == (*platformID == "") || *reason == "" {
		return usagef("%s: give --reason and one of --contact and --platform-id; %s", name, subjectUsage)
	}
	if err := checkSubjectPlatform(name, *platform, *platformID); err != nil {
		return err
	}
	// The queue too: its dead letters keep failed webhook bodies.
	b, err := openBackends(ctx, e)
	if err != nil {
		return err
	}
	defer b.close(e.logger)
	p := newPrivacy(b.store)
	p.DeadLetters, _ = b.queue.(inbox.DeadLetters)
	var r *inbox.SubjectRemoval
	if *contact != 0 {
		r, err = p.RemoveSubject(ctx, 0, *contact, action, *reason)
	} else {
		r, err = p.RemoveSubjectByPlatformID(ctx, 0, inbox.Platform(*platform), *platformID, action, *reason)
	}
	if err != nil {
		return subjectError(name, err)
	}
	who := fmt.Sprintf("contact %d", r.ContactID)
	switch {
	case *contact == 0 && r.Platform != "":
		who = fmt.Sprintf("platform id %s on %s", *platformID, r.Platform)
	case *contact == 0:
		who = "platform id " + *platformID
	}
	fmt.Fprintf(e.stdout, "%s %s in %d conversation(s): %v; %d raw webhook deliveries naming them deleted, %d rewritten without their events; %s\n",
		who, action.Done(), len(r.Conversations), r.Conversations, r.RawDeliveries, r.RawDeliveriesRewritten,
		deadLettersDone(r.DeadLetters, r.DeadLettersRewritten))
	return nil
}

// checkSubjectPlatform accepts an empty --platform, or facebook or
// instagram with --platform-id.
func checkSubjectPlatform(cmd, platform, platformID string) error {
	if err := checkPlatformFlag(cmd, platform); err != nil {
		return err
	}
	if platform != "" && platformID == "" {
		return usagef("%s: --platform goes with --platform-id (a contact id names one person on one platform already); %s", cmd, subjectUsage)
	}
	return nil
}

// subjectError makes an invalid request, such as a platform id that names
// a different person on each platform, bad usage (exit status 2), as the
// flags the command checks itself are.
func subjectError(cmd string, err error) error {
	var ie *inbox.Error
	if errors.As(err, &ie) && ie.Code == inbox.EINVALID {
		return usagef("%s: %s", cmd, ie.Message)
	}
	return err
}

// deadLettersDone says what a removal did to the dead letters.
func deadLettersDone(deleted, rewritten *int64) string {
	if deleted == nil || rewritten == nil {
		return "dead letters not checked (the queue keeps none)"
	}
	return fmt.Sprintf("%d dead letters naming them deleted, %d rewritten without their events", *deleted, *rewritten)
}

// args0 names the command of an action.
func args0(a inbox.PersonalDataAction) string {
	if a == inbox.DeleteData {
		return "erase"
	}
	return "pseudonymise"
}
