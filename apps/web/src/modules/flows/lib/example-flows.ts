/**
 * Shown in the editor while the org has no flows; never saved unless the user saves it. The
 * article's Endpoint Access Control example, fixed: the Slack Web API lives at slack.com/api/*
 * (the article's api.slack.com/* does not cover it).
 */
export const EXAMPLE_FLOWS_YAML = `# Example flows, not saved: nothing is enforced until you Save.
#
# An allow Filter turns on an allowlist: every outbound call of
# every MCP server must match one of its urls. Anything else is
# blocked with the GenerateResponse below and never leaves the
# machine. Empty the editor and save to go back to visibility
# mode (allow and record everything).
AllowFilter:
  processor: Filter
  parameters:
    - key: urls
      value:
        # The Slack Web API. The article's api.slack.com/*
        # does not cover it.
        - slack.com/api/*
        # Google Maps. The article's "*.googleapis.com/*" also
        # matches hosts anyone can create (Cloud Storage buckets)
        # and loads with a warning: name the API you use instead.
        - maps.googleapis.com/*
GenerateResponseForbidden:
  processor: GenerateResponse
  parameters:
    - key: status
      value: 403
    - key: body
      value: "Forbidden Access"
    - key: Content-Type
      value: text/plain
# A deny rule beats any allow, with or without an allowlist:
# NoSlackUploads:
#   processor: Filter
#   parameters:
#     - { key: action, value: deny }
#     - { key: urls, value: [slack.com/api/files.upload] }
`;
