#include "keyaccount/care/known_facts.hpp"

namespace keyaccount::care {

namespace {

std::string later(date d, date as_of, const char* consequence) {
  return d.to_string() + " is after the as-of date " + as_of.to_string() + ": " + consequence;
}

}  // namespace

std::vector<std::string> drop_later_facts(account& a, date as_of) {
  std::vector<std::string> ignored;
  for (auto it = a.last_done.begin(); it != a.last_done.end();) {
    if (it->second > as_of) {
      ignored.push_back("last_done." + it->first + ": " + later(it->second, as_of, "ignored"));
      it = a.last_done.erase(it);
    } else {
      ++it;
    }
  }
  return ignored;
}

std::vector<std::string> drop_later_facts(complaint& c, date as_of) {
  std::vector<std::string> ignored;
  if (!known_on(c, as_of)) {
    ignored.push_back("raised_on: " +
                      later(c.raised_on, as_of, "the complaint is not known on that day; ignored"));
    return ignored;
  }
  auto drop = [&](std::optional<date>& d, const std::string& field) {
    if (d && *d > as_of) {
      ignored.push_back(field + ": " + later(*d, as_of, "ignored"));
      d.reset();
    }
  };
  drop(c.recorded_on, "recorded_on");
  drop(c.reported_on, "reported_on");
  drop(c.resolved_on, "resolved_on");
  drop(c.closed_on, "closed_on");
  std::vector<escalation_record> known;
  for (std::size_t k = 0; k < c.escalations.size(); ++k) {
    auto e = c.escalations[k];
    const std::string at = "escalations[" + std::to_string(k) + "]";
    if (e.opened_on > as_of) {
      ignored.push_back(at + ".opened_on: " + later(e.opened_on, as_of, "ignored"));
      continue;
    }
    drop(e.closed_on, at + ".closed_on");
    known.push_back(std::move(e));
  }
  c.escalations = std::move(known);
  return ignored;
}

std::vector<std::string> drop_later_facts(symposium_event& e, date as_of) {
  std::vector<std::string> ignored;
  for (auto it = e.invited.begin(); it != e.invited.end();) {
    if (it->second > as_of) {
      ignored.push_back("invited." + it->first + ": " + later(it->second, as_of, "ignored"));
      it = e.invited.erase(it);
    } else {
      ++it;
    }
  }
  if (e.held && e.on > as_of) {
    ignored.push_back("held: " + later(e.on, as_of, "not held yet on that day; ignored"));
    e.held = false;
  }
  if (!e.held && !e.attended.empty()) {
    // Attendance is recorded afterwards: of an event not (yet) held it is not known.
    ignored.push_back("attended: the event was not held by " + as_of.to_string() + "; ignored");
    e.attended.clear();
  }
  return ignored;
}

std::vector<std::string> prefixed(const std::string& record,
                                  const std::vector<std::string>& problems) {
  std::vector<std::string> out;
  out.reserve(problems.size());
  for (const auto& p : problems) out.push_back(record + ": " + p);
  return out;
}

}  // namespace keyaccount::care
