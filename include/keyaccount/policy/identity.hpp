#pragma once
/// \file
/// A policy's identity: its canonical JSON form and the SHA-256 content hash of that form, so
/// that every decision can name the exact policy that made it (issue 20 item 5). The edit of a
/// policy's parameters, `with_parameters` (item 1), is in loader.hpp: it loads the result again.
///
/// The canonical form is RFC 8785 (JSON Canonicalization Scheme) of the policy document without
/// its top-level `$schema` member (an editor hint, not content): object members sorted by their
/// names' UTF-16 code units, no whitespace, strings UTF-8 with only `"`, `\`, and control
/// characters escaped, numbers as ECMAScript prints a double (shortest round trip: 500.0 is
/// `500`, 0.1 is `0.1`, 1e21 is `1e+21`). docs/impact.md shows how to recompute it in Python.

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "keyaccount/policy/model.hpp"

namespace keyaccount {

/// RFC 8785 canonical JSON text of `value`. Throws std::invalid_argument for a string that is
/// not UTF-8 (nlohmann values parsed by the library always are).
[[nodiscard]] std::string canonical_json(const nlohmann::json& value);

/// SHA-256 of `bytes` as 64 lowercase hex digits (OpenSSL's libcrypto).
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

/// The content hash of a policy document: sha256_hex(canonical_json(document minus `$schema`)).
[[nodiscard]] std::string policy_content_hash(const nlohmann::json& document);

}  // namespace keyaccount
