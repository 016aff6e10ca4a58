package inbox

// ValidatePublish reports, as EINVALID, why msg cannot be published on
// queue. Every Queue adapter checks it first, so they all refuse the same.
func ValidatePublish(queue string, msg OutgoingMessage) error {
	if queue == "" {
		return Errorf(EINVALID, "A queue name is required.")
	}
	if len(msg.Body) == 0 {
		return Errorf(EINVALID, "A message body is required.")
	}
	return nil
}

// ValidateConsume reports, as EINVALID, why Consume cannot run with these
// arguments. Every Queue adapter checks it first, so they all refuse the
// same.
func ValidateConsume(queue string, concurrency int, h Handler) error {
	if queue == "" {
		return Errorf(EINVALID, "A queue name is required.")
	}
	if concurrency < 1 {
		return Errorf(EINVALID, "Concurrency must be at least 1, not %d.", concurrency)
	}
	if h == nil {
		return Errorf(EINVALID, "A handler is required.")
	}
	return nil
}
