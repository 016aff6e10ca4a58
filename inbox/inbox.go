// Package inbox is the domain of inkorg: the conversations citizens start on
// the city's Facebook Page and Instagram account, the messages in them, the
// staff who answer, and the interfaces (Store, Queue) that adapters implement.
//
// It imports no web framework, ORM, queue client or search engine; those live
// in one subpackage per dependency.
package inbox

import (
	"context"
	"time"
)

// Platform is the social network a conversation happens on.
type Platform string

// Platforms.
const (
	PlatformFacebook  Platform = "facebook"
	PlatformInstagram Platform = "instagram"
)

// Valid reports whether p is a known platform.
func (p Platform) Valid() bool { return p == PlatformFacebook || p == PlatformInstagram }

// Channel is where on a platform a conversation happens: a public comment
// thread or a private message thread.
type Channel string

// Channels.
const (
	ChannelFacebookComment  Channel = "facebook_comment"
	ChannelMessenger        Channel = "messenger"
	ChannelInstagramComment Channel = "instagram_comment"
	ChannelInstagramDirect  Channel = "instagram_direct"
)

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	switch c {
	case ChannelFacebookComment, ChannelMessenger, ChannelInstagramComment, ChannelInstagramDirect:
		return true
	}
	return false
}

// Platform returns the platform the channel belongs to.
func (c Channel) Platform() Platform {
	if c == ChannelInstagramComment || c == ChannelInstagramDirect {
		return PlatformInstagram
	}
	return PlatformFacebook
}

// Public reports whether messages in the channel are visible to everyone.
func (c Channel) Public() bool {
	return c == ChannelFacebookComment || c == ChannelInstagramComment
}

// Direction tells whether a message came from a citizen or from the city.
type Direction string

// Directions.
const (
	DirectionInbound  Direction = "inbound"
	DirectionOutbound Direction = "outbound"
)

// Clock returns the current time. Services take one so SLA and messaging
// window logic can be tested.
type Clock func() time.Time

// Pinger is implemented by every backend whose reachability /readyz reports.
type Pinger interface {
	Ping(ctx context.Context) error
}
