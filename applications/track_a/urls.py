app_name = "track_a"
urlpatterns = []
