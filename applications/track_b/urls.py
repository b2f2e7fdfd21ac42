app_name = "track_b"
urlpatterns = []
