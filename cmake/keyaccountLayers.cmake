# The library's layers as build targets (issue 15): one OBJECT library per layer of
# src/layers.json (the same file tests/tools/check_layers.py reads for the include check), each
# linked with the layers below it only. The installed `keyaccount` library is still one archive
# made of every layer's objects; the layers are a build-time structure, never installed.
#
# What enforces the order is the link, not the compile: every header lives under one include
# root, so a layer can *include* an upper header (check_layers.py, the `layers` ctest, catches
# that). A layer *calling* an upper layer's function is caught here: for each layer,
# keyaccount_layer_check_<layer> links that layer's objects and those of the layers below it,
# all of them (objects, unlike archive members, are never left out), into a program; a reference
# to an upper layer stays undefined and the link fails, naming the caller and the callee.

# keyaccount_read_layers(<json file>): sets, in the caller's scope, keyaccount_layers (the names,
# bottom to top) and for each layer L: keyaccount_layer_<L>_areas, _files, _includes (as listed)
# and _below (the closure of _includes: what L's objects may call, directly or not).
function(keyaccount_read_layers file)
  file(READ ${file} text)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
  string(JSON count LENGTH "${text}" layers)
  math(EXPR last "${count} - 1")
  set(names "")
  foreach(i RANGE ${last})
    string(JSON name GET "${text}" layers ${i} name)
    list(APPEND names ${name})
    foreach(key areas files includes)
      set(values "")
      string(JSON n LENGTH "${text}" layers ${i} ${key})
      if(n GREATER 0)
        math(EXPR n_last "${n} - 1")
        foreach(j RANGE ${n_last})
          string(JSON value GET "${text}" layers ${i} ${key} ${j})
          list(APPEND values ${value})
        endforeach()
      endif()
      set(keyaccount_layer_${name}_${key} ${values} PARENT_SCOPE)
      set(${name}_${key} ${values})
    endforeach()
    # A layer may only name layers listed before it, so the closure is built bottom-up.
    set(below "")
    foreach(lower ${${name}_includes})
      if(NOT lower IN_LIST names OR lower STREQUAL name)
        message(FATAL_ERROR "${file}: layer ${name} includes ${lower}, which is not below it")
      endif()
      list(APPEND below ${lower} ${${lower}_below})
    endforeach()
    list(REMOVE_DUPLICATES below)
    set(${name}_below ${below})
    set(keyaccount_layer_${name}_below ${below} PARENT_SCOPE)
  endforeach()
  set(keyaccount_layers ${names} PARENT_SCOPE)
endfunction()

# keyaccount_layer_of(<out> <path>): the layer of a path relative to src/ or include/keyaccount/
# ("expr/value.cpp", "classify.hpp", "policy/loader.cpp"), or "" for none. Single files first,
# then the path's first component, as check_layers.py does.
function(keyaccount_layer_of out path)
  foreach(layer ${keyaccount_layers})
    if(path IN_LIST keyaccount_layer_${layer}_files)
      set(${out} ${layer} PARENT_SCOPE)
      return()
    endif()
  endforeach()
  string(REGEX REPLACE "/.*$" "" top "${path}")
  string(REGEX REPLACE "\\.hpp$" "" top "${top}")
  foreach(layer ${keyaccount_layers})
    if(top IN_LIST keyaccount_layer_${layer}_areas)
      set(${out} ${layer} PARENT_SCOPE)
      return()
    endif()
  endforeach()
  set(${out} "" PARENT_SCOPE)
endfunction()
