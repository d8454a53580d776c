#include "keyaccount/care/ics.hpp"

#include <libical/ical.h>

#include <memory>

namespace keyaccount::care {

namespace {

icaltimetype day_of(date d) {
  icaltimetype t = icaltime_null_date();
  t.year = d.year();
  t.month = static_cast<int>(d.month());
  t.day = static_cast<int>(d.day());
  t.is_date = 1;
  return t;
}

struct component_deleter {
  void operator()(icalcomponent* c) const noexcept { icalcomponent_free(c); }
};

}  // namespace

std::string to_ics(const plan& pl, const ics_options& options) {
  std::unique_ptr<icalcomponent, component_deleter> cal(
      icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
  icalcomponent_add_property(cal.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(cal.get(), icalproperty_new_prodid(options.prodid.c_str()));
  icalcomponent_add_property(cal.get(), icalproperty_new_calscale("GREGORIAN"));
  icalcomponent_add_property(cal.get(), icalproperty_new_method(ICAL_METHOD_PUBLISH));

  icaltimetype stamp = icaltime_null_time();
  stamp.year = pl.from.year();
  stamp.month = static_cast<int>(pl.from.month());
  stamp.day = static_cast<int>(pl.from.day());
  stamp.zone = icaltimezone_get_utc_timezone();

  for (const auto& item : pl.items) {
    icalcomponent* ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    std::string uid = item.customer + "-" + item.activity +
                      (item.festival.empty() ? "" : "-" + item.festival) + "-" +
                      item.due.to_string() + "@" + options.uid_domain;
    icalcomponent_add_property(ev, icalproperty_new_uid(uid.c_str()));
    icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
    icalcomponent_add_property(ev, icalproperty_new_dtstart(day_of(item.due)));
    icalcomponent_add_property(ev, icalproperty_new_dtend(day_of(item.due.add_days(1))));
    std::string name = item.activity_name.en.empty() ? item.activity : item.activity_name.en;
    if (!item.festival.empty()) name += " (" + item.festival + ")";
    std::string summary =
        name + " — " + (item.customer_name.empty() ? item.customer : item.customer_name);
    if (item.overdue) summary = "OVERDUE: " + summary;
    icalcomponent_add_property(ev, icalproperty_new_summary(summary.c_str()));
    std::string description = "Customer: " + item.customer + "\nActivity: " + item.activity +
                              (item.activity_name.zh.empty() ? "" : " / " + item.activity_name.zh) +
                              "\nArticle: " + item.article + "\nResponsible: " + item.position +
                              (item.person.empty() ? " (nobody valid)" : " — " + item.person) +
                              "\nWhy: " + item.basis;
    if (!item.workflow.empty()) description += "\nWorkflow: " + item.workflow;
    icalcomponent_add_property(ev, icalproperty_new_description(description.c_str()));
    icalcomponent_add_property(ev, icalproperty_new_categories(item.article.c_str()));
    icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
    icalcomponent_add_component(cal.get(), ev);
  }
  char* text = icalcomponent_as_ical_string_r(cal.get());
  std::string out = text ? text : "";
  icalmemory_free_buffer(text);
  return out;
}

}  // namespace keyaccount::care
