// Policies and diagnostics. Loading returns (policy or None, diagnostics); the Python layer
// (keyaccount/policy.py) raises PolicyError, so the rules for raising live in one place.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <map>
#include <memory>
#include <optional>

#include "bindings.hpp"
#include "keyaccount/core/field_check.hpp"
#include "keyaccount/policy/amend.hpp"
#include "keyaccount/policy/default_policy.hpp"
#include "keyaccount/policy/diff.hpp"
#include "keyaccount/policy/identity.hpp"
#include "keyaccount/policy/in_force.hpp"
#include "keyaccount/policy/loader.hpp"
#include "keyaccount/policy/summary.hpp"

namespace py = pybind11;

namespace keyaccount::python {
namespace {

// pybind11 holders cannot be shared_ptr<const T>; the policy is never modified through it.
using policy_handle = std::shared_ptr<keyaccount::policy>;

py::tuple to_python(load_result&& result) {
  py::object handle = py::none();
  if (result.value) {
    handle = py::cast(std::make_shared<keyaccount::policy>(std::move(*result.value)));
  }
  return py::make_tuple(handle, py::cast(std::move(result.diagnostics)));
}

}  // namespace

void bind_policy(py::module_& m) {
  py::class_<diagnostic>(m, "Diagnostic",
                         "One problem found in a policy: severity, stable code, message, JSON "
                         "pointer, and 1-based line and column in the file.")
      .def_property_readonly("severity",
                             [](const diagnostic& d) { return std::string(to_string(d.level)); })
      .def_readonly("code", &diagnostic::code)
      .def_readonly("message", &diagnostic::message)
      .def_readonly("pointer", &diagnostic::pointer)
      // None, not 0, where there is no place in a text: a policy given as a dict has only its
      // JSON pointer (issue 17 item 7: no position in a serialisation the user never wrote).
      .def_property_readonly("line",
                             [](const diagnostic& d) -> std::optional<std::size_t> {
                               if (d.line == 0) return std::nullopt;
                               return d.line;
                             })
      .def_property_readonly("column",
                             [](const diagnostic& d) -> std::optional<std::size_t> {
                               if (d.line == 0) return std::nullopt;
                               return d.column;
                             })
      .def("__repr__", [](const diagnostic& d) {
        std::string place = d.line == 0 ? (d.pointer.empty() ? "/" : d.pointer)
                                        : std::to_string(d.line) + ":" + std::to_string(d.column);
        return "<Diagnostic " + std::string(to_string(d.level)) + "[" + d.code + "] " + place +
               " " + d.message + ">";
      });

  py::class_<keyaccount::policy, policy_handle>(m, "CompiledPolicy",
                                                "A loaded, validated policy (immutable).")
      .def_property_readonly("id", [](const keyaccount::policy& p) { return p.document.id; })
      .def_property_readonly("version",
                             [](const keyaccount::policy& p) { return p.document.version; })
      .def_property_readonly("content_hash",
                             [](const keyaccount::policy& p) { return p.content_hash; })
      .def_property_readonly("canonical_text",
                             [](const keyaccount::policy& p) { return p.canonical_text; })
      .def("summary", &keyaccount::summarize, "A readable summary of the policy.")
      .def_property_readonly("effective_on",
                             [](const keyaccount::policy& p) -> std::optional<std::string> {
                               if (!p.document.effective_on) return std::nullopt;
                               return p.document.effective_on->to_string();
                             })
      .def(
          "not_in_force",
          [](const keyaccount::policy& p, const std::string& as_of) -> std::optional<std::string> {
            // An unreadable date is the caller's to report; nothing to say about it here.
            auto day = keyaccount::date::parse(as_of);
            if (!day) return std::nullopt;
            auto late = keyaccount::check_in_force(p, *day);
            if (!late) return std::nullopt;
            return late->message;
          },
          py::arg("as_of"),
          "Art. 14: the warning when `as_of` is before `effective_on`, else None.");

  m.def(
      "default_policy_text", [] { return std::string(keyaccount::default_policy_text()); },
      "The JSON text of the embedded default policy.");
  m.def(
      "load_policy_text",
      [](const std::string& text, bool positions) {
        load_result result;
        {
          py::gil_scoped_release release;
          result = keyaccount::load_policy(text);
        }
        if (!positions) {
          for (auto& d : result.diagnostics) d.line = d.column = 0;
        }
        return to_python(std::move(result));
      },
      py::arg("text"), py::arg("positions") = true,
      "Loads policy JSON text: (CompiledPolicy or None, [Diagnostic]). positions=False drops "
      "line and column (text serialised from a dict: the pointer is the place).");
  m.def(
      "with_parameters",
      [](const keyaccount::policy& p, const std::map<std::string, double>& values) {
        try {
          return to_python(load_result{keyaccount::with_parameters(p, values), {}});
        } catch (const policy_error& e) {
          return to_python(load_result{std::nullopt, e.diagnostics()});
        }
      },
      py::arg("policy"), py::arg("values"),
      "The policy with some parameters set, validated: (CompiledPolicy or None, [Diagnostic]).");
  m.def(
      "diff_policies",
      [](const keyaccount::policy& a, const keyaccount::policy& b, const std::string& format) {
        auto changes = keyaccount::diff_policies(a, b);
        if (format == "text") return keyaccount::diff_to_text(a, b, changes);
        if (format == "markdown") return keyaccount::diff_to_markdown(a, b, changes);
        return keyaccount::diff_to_json(a, b, changes).dump();
      },
      py::arg("old"), py::arg("new"), py::arg("format") = "json",
      "The structural diff of two policies: JSON text (format='json'), text or Markdown.");
  m.def(
      "amendment_request",
      [](const keyaccount::policy& baseline, const keyaccount::policy& candidate,
         const std::string& summary) {
        return keyaccount::amendment_request(baseline, candidate, summary).dump();
      },
      py::arg("baseline"), py::arg("candidate"), py::arg("summary"),
      "The request (JSON text) to submit to the policy_amendment workflow for `candidate`.");
  m.def(
      "value_diagnostic",
      [](std::string code, std::string message, std::string pointer) {
        return diagnostic{
            severity::error, std::move(code), std::move(message), std::move(pointer), 0, 0};
      },
      py::arg("code"), py::arg("message"), py::arg("pointer"),
      "An error at a JSON pointer of a policy given as a dict (no line or column): for a value "
      "JSON cannot carry, found before serialising.");
  m.def(
      "load_policy_file",
      [](const std::filesystem::path& path) {
        load_result result;
        {
          py::gil_scoped_release release;
          result = keyaccount::load_policy_file(path);
        }
        return to_python(std::move(result));
      },
      py::arg("path"), "Loads a policy file: (CompiledPolicy or None, [Diagnostic]).");
  m.def(
      "default_policy",
      [] {
        // Non-owning alias of the process-wide default policy.
        return policy_handle(policy_handle{},
                             const_cast<keyaccount::policy*>(&keyaccount::default_policy()));
      },
      "The embedded default policy.");
}

// Bound after bind_workflow (module.cpp): its signature names the workflow Instance class, which
// pybind11 can only write as a Python name once that class is registered.
void bind_amend(py::module_& m) {
  m.def(
      "amend_policy",
      [](const workflows::instance& inst, const std::string& candidate_text,
         std::optional<std::string> effective_on, const keyaccount::policy* baseline) -> py::tuple {
        keyaccount::amend_options options;
        options.baseline = baseline;
        if (effective_on) {
          options.effective_on = keyaccount::date::parse(*effective_on);
          if (!options.effective_on)
            return py::make_tuple(
                py::none(), "invalid_date",
                "effective_on: " + keyaccount::field_check::not_a_date(*effective_on));
        }
        try {
          auto out = keyaccount::amend_policy(inst, candidate_text, options);
          return py::make_tuple(out.text, out.approved_by, out.candidate_hash);
        } catch (const keyaccount::amend_error& e) {
          return py::make_tuple(py::none(), std::string(keyaccount::to_string(e.refusal())),
                                std::string(e.what()));
        }
      },
      py::arg("instance"), py::arg("candidate_text"), py::arg("effective_on") = py::none(),
      py::arg("baseline") = nullptr,
      "The amended policy document: (text, approved_by, candidate_hash), or (None, kind, "
      "message) when refused.");
}

}  // namespace keyaccount::python
